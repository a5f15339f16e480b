/**
 * @module
 * The invoke request headers: invocation type, log type and client context. The two enums are
 * model members, so a wrong value is a ValidationException worded like AWS's other enum checks;
 * the client context must be base64 of a JSON object, at most 3,583 bytes of base64.
 */
import type { IncomingMessage } from 'node:http';
import {
  AppError,
  CONSTRAINTS,
  ERRORS,
  INVOKE_HEADERS,
  constraintMessage,
  validationError,
  type InvocationType,
} from '@lambdock/core';
import { isStrictBase64 } from '../functions/base64.js';

const INVOCATION_TYPES: readonly InvocationType[] = ['Event', 'RequestResponse', 'DryRun'];
const LOG_TYPES = ['None', 'Tail'] as const;
export const CLIENT_CONTEXT_MAX_BYTES = 3583;

export interface InvokeHeaders {
  invocationType: InvocationType;
  logTail: boolean;
  /** Decoded client context JSON text. */
  clientContext?: string;
}

function readClientContext(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const invalid = new AppError(
    ERRORS.INVALID_PARAMETER,
    'Client context must be a valid Base64-encoded JSON object.',
  );
  if (raw.length > CLIENT_CONTEXT_MAX_BYTES) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      `Client context must be at most ${CLIENT_CONTEXT_MAX_BYTES} bytes of Base64-encoded data.`,
    );
  }
  if (!isStrictBase64(raw)) throw invalid;
  const text = Buffer.from(raw, 'base64').toString('utf8');
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw invalid;
  } catch {
    throw invalid;
  }
  return text;
}

/** A request header by name, as Express's `req.get` reads it (Node joins repeated ones). */
export function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** `types`: the invocation types the operation takes (InvokeWithResponseStream has no `Event`). */
export function readInvokeHeaders(
  req: IncomingMessage,
  types: readonly InvocationType[] = INVOCATION_TYPES,
): InvokeHeaders {
  const type = headerOf(req, INVOKE_HEADERS.INVOCATION_TYPE) ?? 'RequestResponse';
  const logType = headerOf(req, INVOKE_HEADERS.LOG_TYPE) ?? 'None';
  const problems: string[] = [];
  if (!(types as readonly string[]).includes(type)) {
    problems.push(constraintMessage('invocationType', type, CONSTRAINTS.enumValue(types)));
  }
  if (!(LOG_TYPES as readonly string[]).includes(logType)) {
    problems.push(constraintMessage('logType', logType, CONSTRAINTS.enumValue(LOG_TYPES)));
  }
  if (problems.length > 0) throw validationError(problems);
  const clientContext = readClientContext(headerOf(req, INVOKE_HEADERS.CLIENT_CONTEXT));
  return {
    invocationType: type as InvocationType,
    logTail: logType === 'Tail',
    ...(clientContext === undefined ? {} : { clientContext }),
  };
}
