/**
 * @module
 * Error reports from runtimes: which error type they carry and which payload the invoker
 * gets. Node's RIC posts invocation errors without the error-type header, so the body's
 * `errorType` counts too; bodies with `trace` or `stackTrace` pass through untouched.
 */
import { FUNCTION_ERROR_TYPES } from '@lambdock/core';

/** The RIE keeps a header type only when it names a Runtime.* or Function.* error. */
export function normalizeHeaderType(value: string | undefined): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (/^Runtime\.[A-Za-z0-9]+$/.test(value) || /^Function\.[A-Za-z0-9]+$/.test(value)) return value;
  return value.startsWith('Function.') ? 'Function.Unknown' : FUNCTION_ERROR_TYPES.UNKNOWN;
}

function bodyErrorType(body: Buffer): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
      const type = (parsed as { errorType?: unknown }).errorType;
      return typeof type === 'string' && type !== '' ? type : undefined;
    }
  } catch {
    // Not JSON: the body becomes the error message below.
  }
  return undefined;
}

function isJsonObject(body: Buffer): boolean {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    return parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed);
  } catch {
    return false;
  }
}

export interface ErrorReport {
  errorType: string;
  /** What the invoker receives as the payload. */
  body: Buffer;
}

/** Turn a posted error (header + body) into the error type and the caller-visible payload. */
export function parseErrorReport(header: string | undefined, body: Buffer): ErrorReport {
  const errorType =
    bodyErrorType(body) ?? normalizeHeaderType(header) ?? FUNCTION_ERROR_TYPES.UNKNOWN;
  if (isJsonObject(body)) return { errorType, body };
  const message = body.toString('utf8') || 'Unknown error';
  return { errorType, body: Buffer.from(JSON.stringify({ errorType, errorMessage: message })) };
}

/** Streaming responses report a mid-stream failure in trailers; the body is base64 JSON. */
export function parseTrailerError(trailers: NodeJS.Dict<string>): ErrorReport | undefined {
  const type = trailers['lambda-runtime-function-error-type'];
  const encoded = trailers['lambda-runtime-function-error-body'];
  if (type === undefined && encoded === undefined) return undefined;
  const body = encoded === undefined ? Buffer.alloc(0) : Buffer.from(encoded, 'base64');
  return parseErrorReport(type, body);
}
