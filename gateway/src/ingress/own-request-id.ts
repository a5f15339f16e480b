/**
 * @module
 * Give a user HTTP route or function URL request an id of its own, whatever the caller sent. The
 * request-id middleware keeps a caller's `x-amzn-RequestId` / `x-request-id`, which suits Lambda
 * API clients; public HTTP traffic repeats such ids (proxies, retries, fixed client headers), and
 * an invocation keyed by a repeated id is taken for the earlier one: it never runs and the caller
 * gets the earlier request's answer. API Gateway and function URLs always make their own id too.
 */
import type { Response } from 'express';
import { lazyChild, type Logger } from '@lambdock/core';
import { contextOf } from '../middleware/request-context.js';

export interface OwnRequestIdDeps {
  /** The app's base logger (the request's child logger is rebuilt from it). */
  logger: Logger;
  newId: () => string;
}

export function ownRequestId(res: Response, deps: OwnRequestIdDeps): string {
  const requestId = deps.newId();
  const context = contextOf(res);
  context.requestId = requestId;
  context.logger = lazyChild(deps.logger, { requestId });
  res.setHeader('x-amzn-RequestId', requestId);
  return requestId;
}
