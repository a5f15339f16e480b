/**
 * @module
 * Give every request an id: an incoming `x-amzn-RequestId` or `x-request-id` is kept only when
 * it is short and made of safe characters (it lands in logs, job ids and the function's
 * context); otherwise a UUID is generated. The id is echoed in `x-amzn-RequestId` on every
 * response, errors included, and bound into a child logger.
 */
import { randomUUID } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { Logger } from '@lambdock/core';
import { contextOf } from './request-context.js';

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

export function createRequestId(options: RequestIdOptions): RequestHandler {
  const newId = options.newId ?? randomUUID;
  return (req, res, next) => {
    const requestId =
      acceptedRequestId(req.get('x-amzn-requestid')) ??
      acceptedRequestId(req.get('x-request-id')) ??
      newId();
    const context = contextOf(res);
    context.requestId = requestId;
    context.logger = options.logger.child({ requestId });
    res.set('x-amzn-RequestId', requestId);
    next();
  };
}
