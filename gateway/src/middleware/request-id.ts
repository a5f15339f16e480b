/**
 * @module
 * Give every request an id: an incoming `x-amzn-RequestId` or `x-request-id` is kept only when
 * it is short and made of safe characters (it lands in logs, job ids and the function's
 * context); otherwise a UUID is generated. The id is echoed in `x-amzn-RequestId` on every
 * response, errors included, and bound into a child logger.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import { lazyChild, type Logger } from '@lambdock/core';
import { contextOf, type ContextResponse } from './request-context.js';

const SAFE_REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

export interface RequestIdOptions {
  logger: Logger;
  /** @defaultValue crypto.randomUUID */
  newId?: () => string;
}

/** BullMQ refuses integer job ids, and invocation jobs are keyed by request id. */
const INTEGER = /^-?\d+$/;

export function acceptedRequestId(candidate: string | undefined): string | undefined {
  return candidate !== undefined && SAFE_REQUEST_ID.test(candidate) && !INTEGER.test(candidate)
    ? candidate
    : undefined;
}

const single = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value[0] : value;

/** The request-id step on plain Node objects (the Invoke fast path calls it directly). */
export function assignRequestId(
  req: IncomingMessage,
  res: ContextResponse,
  logger: Logger,
  newId: () => string,
): void {
  const requestId =
    acceptedRequestId(single(req.headers['x-amzn-requestid'])) ??
    acceptedRequestId(single(req.headers['x-request-id'])) ??
    newId();
  const context = contextOf(res);
  context.requestId = requestId;
  context.logger = lazyChild(logger, { requestId });
  res.setHeader('x-amzn-RequestId', requestId);
}

export function createRequestId(options: RequestIdOptions): RequestHandler {
  const newId = options.newId ?? randomUUID;
  return (req, res, next) => {
    assignRequestId(req, res, options.logger, newId);
    next();
  };
}
