/**
 * @module
 * The signature check in front of the API (ACCESS_KEYS set): every request on the API's own
 * paths (`/<API version date>/...`, `/lambdock/...`, in any letter case, as Express routes
 * them) and every CloudWatch Logs API request (signed for `logs`) must be signed by a listed
 * key. The body is read here when there is one, since the
 * signature covers its hash, up to the limit of the operation the path names, and kept for the
 * route (signed-body.ts). Function URLs check their own (AuthType AWS_IAM); health, metrics,
 * storage webhooks (their own secret) and user HTTP routes are not API paths.
 */
import type { IncomingMessage } from 'node:http';
import type { RequestHandler } from 'express';
import type { AppError } from '@lambdock/core';
import { LOGS_SIGNING_SERVICE, logsOperationOf } from '../cloudwatch-logs/target.js';
import type { GatewaySettings } from '../deps.js';
import {
  invokeAsyncLimit,
  payloadTooLarge,
  readBody,
  type PayloadKind,
} from '../invoke/read-payload.js';
import { requestTooLarge } from '../middleware/error-handler.js';
import { CODE_REQUEST_LIMIT_BYTES, SETTINGS_REQUEST_LIMIT_BYTES } from '../middleware/json-body.js';
import { contextOf } from '../middleware/request-context.js';
import type { RequestVerifier, SignatureCheck } from './request-verifier.js';
import { hasBody, keepBody } from './signed-body.js';

const API_PATH = /^\/(20\d\d-\d\d-\d\d|lambdock)(\/|$)/i;
const INVOKE_PATH = /^\/2015-03-31\/functions\/[^/]+\/invocations\/?$/i;
const STREAM_INVOKE_PATH = /^\/2021-11-15\/functions\/[^/]+\/response-streaming-invocations\/?$/i;
const INVOKE_ASYNC_PATH = /^\/2014-11-13\/functions\/[^/]+\/invoke-async\/?$/i;
/** CreateFunction and UpdateFunctionCode: the only operations that carry code. */
const CODE_PATHS: ReadonlyArray<readonly [string, RegExp, string]> = [
  ['POST', /^\/2015-03-31\/functions\/?$/i, 'CreateFunction'],
  ['PUT', /^\/2015-03-31\/functions\/[^/]+\/code\/?$/i, 'UpdateFunctionCode'],
];
const EMPTY: Buffer = Buffer.alloc(0);

/** How much of a body the check reads, and the refusal beyond it. */
export interface BodyLimit {
  limit: number;
  refusal: (size: number) => AppError;
}

/** Invoke's own limit and message for its invocation type. */
export function invokeBodyLimit(req: IncomingMessage, settings: GatewaySettings): BodyLimit {
  return req.headers['x-amz-invocation-type'] === 'Event'
    ? payloadLimit('event', settings.asyncPayloadLimitBytes)
    : payloadLimit('sync', settings.syncPayloadLimitBytes);
}

function payloadLimit(kind: PayloadKind, limit: number): BodyLimit {
  return { limit, refusal: (size) => payloadTooLarge(kind, limit, size) };
}

/** The limit of the operation a request's path names: code, an invoke, or a few settings. */
function bodyLimitOf(req: IncomingMessage, path: string, settings: GatewaySettings): BodyLimit {
  if (INVOKE_PATH.test(path)) return invokeBodyLimit(req, settings);
  if (STREAM_INVOKE_PATH.test(path)) return payloadLimit('sync', settings.syncPayloadLimitBytes);
  if (INVOKE_ASYNC_PATH.test(path)) return payloadLimit('event', invokeAsyncLimit(settings));
  const code = CODE_PATHS.find(([method, pattern]) => req.method === method && pattern.test(path));
  // Settings operations are told apart only by their routes, which have not run yet.
  const limit = code === undefined ? SETTINGS_REQUEST_LIMIT_BYTES : CODE_REQUEST_LIMIT_BYTES;
  return { limit, refusal: () => requestTooLarge(limit, code?.[2]) };
}

/** Accept the request's signature or throw AWS's error; its body is read and kept for the route. */
export async function authenticate(
  verifier: RequestVerifier,
  req: IncomingMessage,
  { limit, refusal }: BodyLimit,
  service?: string,
): Promise<SignatureCheck> {
  const check = verifier.begin(req, service);
  let body = EMPTY;
  if (hasBody(req)) {
    body = await readBody(req, limit, refusal);
    keepBody(req, body);
  }
  verifier.finish(check, body);
  return check;
}

export function requireSignature(
  verifier: RequestVerifier,
  settings: GatewaySettings,
): RequestHandler {
  return (req, res, next) => {
    const logs = logsOperationOf(req, req.path) !== undefined;
    if (!logs && !API_PATH.test(req.path)) {
      next();
      return;
    }
    const limit = bodyLimitOf(req, req.path, settings);
    const service = logs ? LOGS_SIGNING_SERVICE : undefined;
    authenticate(verifier, req, limit, service).then((check) => {
      contextOf(res).signature = check;
      next();
    }, next);
  };
}
