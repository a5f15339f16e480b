/**
 * @module errors
 * Error classes whose names are the `Runtime.*` error types Lambda clients see, and the
 * conversion of any thrown value into the `{errorType, errorMessage, trace}` body the
 * Runtime API expects. Names and shapes follow AWS's Node.js runtime verbatim.
 */
import { types } from 'node:util';

function runtimeError(name) {
  const cls = class extends Error {};
  Object.defineProperty(cls, 'name', { value: name });
  cls.prototype.name = `Runtime.${name}`;
  return cls;
}

export const ImportModuleError = runtimeError('ImportModuleError');
export const HandlerNotFound = runtimeError('HandlerNotFound');
export const MalformedHandlerName = runtimeError('MalformedHandlerName');
export const UserCodeSyntaxError = runtimeError('UserCodeSyntaxError');
export const MalformedStreamingHandler = runtimeError('MalformedStreamingHandler');
export const InvalidStreamingOperation = runtimeError('InvalidStreamingOperation');

export class UnhandledPromiseRejection extends Error {
  constructor(reason, promise) {
    super(reason);
    this.reason = reason;
    this.promise = promise;
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

// DEL cannot travel in an HTTP header (the streaming error trailer), so AWS escapes it everywhere.
const escapeDel = (text) => (typeof text === 'string' ? text.replace(/\x7F/g, '%7F') : text);

function looksLikeError(value) {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof value.name === 'string' &&
    typeof value.message === 'string' &&
    typeof value.stack === 'string' &&
    value.name !== '' &&
    value.message !== '' &&
    value.stack !== ''
  );
}

/** Converts anything a handler threw or passed to its callback into a Runtime API error body. */
export function toErrorBody(error) {
  try {
    if (types.isNativeError(error) || looksLikeError(error)) {
      return {
        errorType: escapeDel(error.name),
        errorMessage: escapeDel(error.message),
        trace: escapeDel(String(error.stack)).split('\n'),
      };
    }
    return { errorType: typeof error, errorMessage: String(error), trace: [] };
  } catch {
    return {
      errorType: 'handled',
      errorMessage:
        'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack',
    };
  }
}

function withEnumerableProperties(value) {
  if (!(value instanceof Error)) return value;
  const out = { errorType: value.name, errorMessage: value.message, code: value.code, ...value };
  if (typeof value.stack === 'string') out.stack = value.stack.split('\n');
  return out;
}

/** The tab-prefixed JSON rendering AWS logs after "Invoke Error" and "Uncaught Exception". */
export function formatForLog(error) {
  try {
    return '\t' + JSON.stringify(error, (_key, value) => withEnumerableProperties(value));
  } catch {
    return '\t' + JSON.stringify(toErrorBody(error));
  }
}

export function intoError(value) {
  return value instanceof Error ? value : new Error(value);
}
