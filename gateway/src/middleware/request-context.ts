/**
 * @module
 * Typed access to what the middleware chain keeps per request in `res.locals`: the request id,
 * a child logger that carries it, and the API operation name (used for metrics and messages).
 */
import type { Response } from 'express';
import type { Logger } from '@lambdock/core';

export interface RequestContext {
  requestId: string;
  logger: Logger;
  /** The AWS operation name (`Invoke`, `CreateFunction`, ...) once a route matched. */
  operation?: string;
}

export function contextOf(res: Response): RequestContext {
  // The request-id middleware fills these before any route runs.
  return res.locals as RequestContext;
}
