/**
 * @module
 * The one renderer: any thrown value as the AWS error response of the request's protocol, the
 * status, `x-amzn-ErrorType` and the body shape the catalogue (errors.ts) gives each exception.
 * Services call it from their single error middleware.
 */
import { AppError, ERRORS, isAppError } from './errors.js';

export interface RenderedError {
  statusCode: number;
  headers: Record<string, string>;
  body: Record<string, unknown>;
}

const GENERIC_5XX_MESSAGE = 'An internal error occurred.';
/** CloudWatch Logs' exception for a fault of the service. */
const JSON_SERVICE_FAULT = 'ServiceUnavailableException';

/**
 * The protocol a request speaks: Lambda's REST JSON (each exception's own body shape), or AWS's
 * JSON protocol (the CloudWatch Logs API), whose clients read the exception's name from the
 * body's `__type`, so every error it answers carries one.
 */
export type ErrorProtocol = 'rest-json' | 'json';

/**
 * Turn any thrown value into the AWS error response of `protocol`. The one renderer: services
 * call it from their single error middleware.
 */
export function renderError(err: unknown, protocol: ErrorProtocol = 'rest-json'): RenderedError {
  const appErr = isAppError(err)
    ? err
    : new AppError(ERRORS.INTERNAL, GENERIC_5XX_MESSAGE, { cause: err });
  const message = appErr.expose ? appErr.message : serviceMessage(appErr);
  // A fault is the JSON protocol's one service exception (Lambda's is ServiceException).
  const awsType =
    protocol === 'json' && appErr.statusCode >= 500 ? JSON_SERVICE_FAULT : appErr.awsType;
  const body: Record<string, unknown> =
    protocol === 'json' || appErr.body === '__type+message'
      ? { __type: awsType, message }
      : appErr.body === 'message'
        ? { message }
        : appErr.body === 'Type+message'
          ? { Type: appErr.kind, message }
          : { Type: appErr.kind, Message: message };
  Object.assign(body, appErr.fields);
  return {
    statusCode: appErr.statusCode,
    headers: { 'x-amzn-ErrorType': awsType, ...appErr.headers },
    body,
  };
}

function serviceMessage(err: AppError): string {
  // 503 tells the caller something true and safe: retry later. Other 5xx stay generic.
  if (err.code === ERRORS.SERVICE_UNAVAILABLE.code) return 'The service is unavailable; retry.';
  if (err.code === ERRORS.INVOKE_TIMEOUT.code) return 'The invocation did not complete in time.';
  return GENERIC_5XX_MESSAGE;
}
