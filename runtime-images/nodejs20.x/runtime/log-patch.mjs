/**
 * @module log-patch
 * Replaces the console methods so each call becomes one log line in Lambda's format:
 * `<ISO time>\t<request id>\t<LEVEL>\t<message>` (or a JSON object when
 * AWS_LAMBDA_LOG_FORMAT=JSON). Newlines inside a message become `\r`, which keeps a multi-line
 * message in a single log event, as on AWS. Patching console is acceptable here and only here:
 * the runtime owns the process and user code expects this behaviour.
 */
import { format } from 'node:util';
import { formatForLog, intoError } from './errors.mjs';

const LEVELS = Object.freeze({
  TRACE: { name: 'TRACE', priority: 1 },
  DEBUG: { name: 'DEBUG', priority: 2 },
  INFO: { name: 'INFO', priority: 3 },
  WARN: { name: 'WARN', priority: 4 },
  ERROR: { name: 'ERROR', priority: 5 },
  FATAL: { name: 'FATAL', priority: 6 },
});

// Shared through a global symbol, as AWS does, so code that reads it keeps working.
const REQUEST_ID = Symbol.for('aws.lambda.runtime.requestId');

export function setCurrentRequestId(id) {
  globalThis[REQUEST_ID] = id;
}

function errorFields(value) {
  return {
    errorType: value?.constructor?.name ?? 'UnknownError',
    errorMessage: value.message,
    stackTrace: typeof value.stack === 'string' ? value.stack.split('\n') : value.stack,
  };
}

function jsonLine(level, params) {
  const entry = {
    timestamp: new Date().toISOString(),
    level: level.name,
    requestId: globalThis[REQUEST_ID],
  };
  if (params.length === 1) {
    entry.message = params[0];
    try {
      return JSON.stringify(entry, (_k, v) =>
        v instanceof Error ? { ...errorFields(v), ...v } : v,
      );
    } catch {
      entry.message = format(params[0]);
      return JSON.stringify(entry);
    }
  }
  entry.message = format(...params);
  const error = params.find((p) => p instanceof Error);
  return JSON.stringify(error ? { ...entry, ...errorFields(error) } : entry);
}

function textLine(level, params) {
  return `${new Date().toISOString()}\t${globalThis[REQUEST_ID]}\t${level.name}\t${format(...params)}`;
}

/** Installs the patched console; returns a logError(message, error) helper in the same format. */
export function patchConsole(env = process.env) {
  const json = env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const minimum = LEVELS[env.AWS_LAMBDA_LOG_LEVEL?.toUpperCase()] ?? LEVELS.TRACE;
  const render = json ? jsonLine : textLine;
  const make = (level) => {
    if (level.priority < minimum.priority && level !== LEVELS.FATAL) return () => {};
    return (...params) => {
      process.stdout.write(render(level, params).replace(/\n/g, '\r') + '\n');
    };
  };
  console.trace = make(LEVELS.TRACE);
  console.debug = make(LEVELS.DEBUG);
  console.info = make(LEVELS.INFO);
  console.log = console.info;
  console.warn = make(LEVELS.WARN);
  console.error = make(LEVELS.ERROR);
  console.fatal = make(LEVELS.FATAL);
  return json
    ? (_message, error) => console.error(intoError(error))
    : (message, error) => console.error(message, formatForLog(intoError(error)));
}
