/**
 * @module
 * Turn a worker's reply into the Invoke response: 200 with the function's bytes and AWS's
 * headers, `X-Amz-Function-Error: Unhandled` for a function error (the status never reflects
 * one), or, when the worker refused the invocation (`rejected`), the catalogued error it named.
 */
import type { ServerResponse } from 'node:http';
import {
  AppError,
  ERRORS,
  INVOKE_HEADERS,
  type ErrorSpec,
  type InvokeResultHeader,
  type Reply,
} from '@lambdock/core';

const SPECS_BY_CODE: ReadonlyMap<string, ErrorSpec> = new Map(
  Object.values(ERRORS).map((spec: ErrorSpec) => [spec.code, spec]),
);

/** The error a `rejected` reply names; an unknown code is our own fault, hence a 500. */
export function rejectionError(header: InvokeResultHeader): AppError {
  const error = header.error;
  const spec = error === undefined ? undefined : SPECS_BY_CODE.get(error.code);
  if (error === undefined || spec === undefined) {
    return new AppError(
      ERRORS.INTERNAL,
      `worker rejected ${header.requestId} with ${error?.code ?? 'no code'}`,
    );
  }
  return new AppError(
    spec,
    error.message,
    error.fields === undefined ? {} : { fields: error.fields },
  );
}

export function sendReply(res: ServerResponse, reply: Reply, logTail: boolean): void {
  const { header, payload } = reply;
  if (header.outcome === 'rejected') throw rejectionError(header);
  res.statusCode = 200;
  res.setHeader(INVOKE_HEADERS.EXECUTED_VERSION, header.executedVersion || '$LATEST');
  if (header.outcome === 'function-error')
    res.setHeader(INVOKE_HEADERS.FUNCTION_ERROR, 'Unhandled');
  if (logTail && header.logResult !== undefined)
    res.setHeader(INVOKE_HEADERS.LOG_RESULT, header.logResult);
  res.setHeader('Content-Type', header.contentType ?? 'application/json');
  res.setHeader('Content-Length', payload.length);
  // Bytes go out untouched: no re-serialisation, no ETag hashing of up to 6 MB.
  res.end(payload);
}
