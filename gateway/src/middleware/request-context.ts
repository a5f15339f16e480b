/**
 * @module
 * Typed access to what the middleware chain keeps per request in `res.locals`: the request id,
 * a child logger that carries it, and the API operation name (used for metrics and messages).
 */
import type { ServerResponse } from 'node:http';
import type { ErrorProtocol, Logger } from '@lambdock/core';
import type { SignatureCheck } from '../auth/request-verifier.js';

export interface RequestContext {
  requestId: string;
  logger: Logger;
  /** The AWS operation name (`Invoke`, `CreateFunction`, ...) once a route matched. */
  operation?: string;
  /** The accepted signature of the request (ACCESS_KEYS set): who signed it, with what scope. */
  signature?: SignatureCheck;
  /** The protocol its errors are rendered in: `json` for the CloudWatch Logs API. */
  protocol?: ErrorProtocol;
}

/** A response carrying per-request locals: Express's, or a plain one the Invoke fast path equips. */
export type ContextResponse = ServerResponse & { locals: Record<string, unknown> };

export function contextOf(res: { locals: Record<string, unknown> }): RequestContext {
  // The request-id step fills these before any route runs.
  return res.locals as unknown as RequestContext;
}

/** Give a plain Node response the locals Express would have given it. */
export function withLocals(res: ServerResponse): ContextResponse {
  const equipped = res as ContextResponse;
  equipped.locals = Object.create(null) as Record<string, unknown>;
  return equipped;
}
