/**
 * @module
 * The one place errors become responses. AppErrors render through core's renderError (AWS's
 * `x-amzn-ErrorType` header and body shape); errors from Express and its body parser are first
 * mapped to the catalogue; anything else is a 500 with a generic message, logged with its stack.
 */
import type { ErrorRequestHandler, RequestHandler } from 'express';
import {
  AppError,
  ERRORS,
  isAppError,
  renderError,
  type ErrorProtocol,
  type Logger,
  type RenderedError,
} from '@lambdock/core';
import { drainUnread } from './drain-unread.js';
import { contextOf, type ContextResponse } from './request-context.js';

interface HttpishError {
  type?: string;
  status?: number;
  limit?: number;
  expose?: boolean;
  message?: string;
}

function asHttpish(err: unknown): HttpishError {
  // Express and body-parser errors carry these optional members; anything else has none.
  return typeof err === 'object' && err !== null ? err : {};
}

/** A body over the operation's limit (`operation` unknown: before a route matched). */
export function requestTooLarge(limit: number, operation?: string, cause?: unknown): AppError {
  return new AppError(
    ERRORS.REQUEST_TOO_LARGE,
    `Request must be smaller than ${limit} bytes for the ${operation ?? 'requested'} operation`,
    { cause },
  );
}

export function unparsableJson(reason: string, cause?: unknown): AppError {
  return new AppError(ERRORS.INVALID_CONTENT, `Could not parse request body into json: ${reason}`, {
    cause,
  });
}

/** Map errors thrown by Express or body-parser onto the catalogue; pass others through. */
export function toAppError(
  err: unknown,
  operation: string | undefined,
  protocol: ErrorProtocol = 'rest-json',
): unknown {
  if (isAppError(err)) return err;
  const e = asHttpish(err);
  switch (e.type) {
    case 'entity.too.large':
      return requestTooLarge(e.limit ?? 0, operation, err);
    case 'entity.parse.failed':
      // The JSON protocol's clients name a body they could not have sent this way.
      return protocol === 'json'
        ? new AppError(ERRORS.LOGS_SERIALIZATION, 'The request body is not valid JSON.', {
            cause: err,
          })
        : unparsableJson(e.message ?? 'invalid JSON', err);
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new AppError(
        protocol === 'json' ? ERRORS.LOGS_SERIALIZATION : ERRORS.UNSUPPORTED_MEDIA_TYPE,
        e.message ?? 'Unsupported content encoding.',
        { cause: err },
      );
    default:
      break;
  }
  if (typeof e.status === 'number' && e.status >= 400 && e.status < 500 && e.expose !== false) {
    const spec = protocol === 'json' ? ERRORS.LOGS_INVALID_PARAMETER : ERRORS.INVALID_PARAMETER;
    return new AppError(spec, e.message ?? 'Invalid request.', { cause: err });
  }
  return err;
}

/**
 * `err` as AWS's error for the request `res` answers, logged: a 5xx with its stack, a refusal
 * at debug level. sendError writes it; a response already under way (an event stream) says it
 * in its own terms.
 */
export function renderLogged(
  res: ContextResponse,
  err: unknown,
  fallbackLogger: Logger,
): RenderedError {
  const context = contextOf(res);
  const logger = context.logger ?? fallbackLogger;
  const rendered = renderError(
    toAppError(err, context.operation, context.protocol),
    context.protocol,
  );
  if (rendered.statusCode >= 500) {
    logger.error({ err, operation: context.operation }, 'request failed');
  } else {
    logger.debug({ errorType: rendered.headers['x-amzn-ErrorType'] }, 'request refused');
  }
  return rendered;
}

/**
 * Render `err` on `res`: the one place an error becomes a response, for Express's error
 * middleware and for the Invoke fast path alike. The body is JSON as Express's `res.json`
 * would send it (same Content-Type and length). A body still arriving is drained
 * (drain-unread.ts), so the client gets the answer rather than a reset.
 */
export function sendError(res: ContextResponse, err: unknown, fallbackLogger: Logger): void {
  const rendered = renderLogged(res, err, fallbackLogger);
  if (res.headersSent) {
    // Part of a response is already on the wire; the only honest signal left is a cut.
    res.destroy();
    return;
  }
  const body = Buffer.from(JSON.stringify(rendered.body), 'utf8');
  res.statusCode = rendered.statusCode;
  for (const [name, value] of Object.entries(rendered.headers)) res.setHeader(name, value);
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', body.length);
  res.end(body);
  drainUnread(res.req);
}

export function createErrorHandler(fallbackLogger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => sendError(res, err, fallbackLogger);
}

/** Anything no router claimed: AWS answers UnknownOperationException. */
export function unknownOperation(): RequestHandler {
  return (req, _res, next) => {
    next(new AppError(ERRORS.UNKNOWN_OPERATION, `Unknown operation: ${req.method} ${req.path}`));
  };
}
