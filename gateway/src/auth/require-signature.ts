/**
 * @module
 * The signature check in front of the API (ACCESS_KEYS set): every request on the API's own
 * paths (`/<API version date>/...`, `/lambdock/...`) must be signed by a listed key. The body
 * is read here when there is one, since the signature covers its hash, and kept for the route
 * (signed-body.ts). Function URLs check their own (AuthType AWS_IAM); health, metrics, storage
 * webhooks (their own secret) and user HTTP routes are not API paths.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { AppError } from '@lambdock/core';
import { requestTooLarge } from '../middleware/error-handler.js';
import { contextOf } from '../middleware/request-context.js';
import { readBody } from '../invoke/read-payload.js';
import { CODE_REQUEST_LIMIT_BYTES } from '../middleware/json-body.js';
import type { RequestVerifier, SignatureCheck } from './request-verifier.js';
import { hasBody, keepBody } from './signed-body.js';

const API_PATH = /^\/(20\d\d-\d\d-\d\d|lambdock)(\/|$)/;
const EMPTY: Buffer = Buffer.alloc(0);

/**
 * Accept the request's signature or throw AWS's error; the body (up to `limit` bytes, else
 * `refusal`) is read and kept for the route.
 */
export async function authenticate(
  verifier: RequestVerifier,
  req: IncomingMessage,
  limit: number,
  refusal: (size: number) => AppError = () => requestTooLarge(limit),
): Promise<SignatureCheck> {
  const check = verifier.begin(req);
  let body = EMPTY;
  if (hasBody(req)) {
    body = await readBody(req, limit, refusal);
    keepBody(req, body);
  }
  verifier.finish(check, body);
  return check;
}

export function requireSignature(verifier: RequestVerifier): RequestHandler {
  return (req, res, next) => {
    if (!API_PATH.test(req.path)) {
      next();
      return;
    }
    authenticate(verifier, req, CODE_REQUEST_LIMIT_BYTES).then((check) => {
      contextOf(res).signature = check;
      next();
    }, next);
  };
}
