/**
 * @module
 * The payloads callers see when the platform (not the handler) ends an invocation, byte for
 * byte as AWS sends them (aws-oracle 3_invoke). Key order is wire order: timeouts and exits put
 * errorType first, the response-size error puts errorMessage first.
 */
import { FUNCTION_ERROR_TYPES, timeoutMessage } from '@lambdock/core';
import type { ExitInfo } from '../containers/container-driver.js';
import type { FunctionErrorKind } from './invoker.js';

export interface PlatformError {
  readonly errorType: string;
  readonly errorKind: FunctionErrorKind;
  readonly payload: Buffer;
}

const json = (value: object): Buffer => Buffer.from(JSON.stringify(value), 'utf8');

export function timeoutError(requestId: string, timeoutSeconds: number): PlatformError {
  const errorType = FUNCTION_ERROR_TYPES.TIMEOUT;
  return {
    errorType,
    errorKind: 'timeout',
    payload: json({ errorType, errorMessage: timeoutMessage(requestId, timeoutSeconds) }),
  };
}

export function initTimeoutError(requestId: string, initTimeoutMs: number): PlatformError {
  const errorType = FUNCTION_ERROR_TYPES.INIT_TIMEOUT;
  const seconds = (initTimeoutMs / 1000).toFixed(2);
  return {
    errorType,
    errorKind: 'init',
    payload: json({
      errorType,
      errorMessage: `RequestId: ${requestId} Error: Init timed out after ${seconds} seconds`,
    }),
  };
}

export function responseTooLargeError(limitBytes: number): PlatformError {
  const errorType = FUNCTION_ERROR_TYPES.RESPONSE_TOO_LARGE;
  return {
    errorType,
    errorKind: 'response-too-large',
    payload: json({
      errorMessage: `Response payload size exceeded maximum allowed payload size (${limitBytes} bytes).`,
      errorType,
    }),
  };
}

/** How Go's os/exec (AWS's platform) words a process end; Docker reports signals as 128+n. */
const SIGNAL_NAMES: Readonly<Record<number, string>> = {
  134: 'aborted',
  135: 'bus error',
  136: 'floating point exception',
  137: 'killed',
  139: 'segmentation fault',
  143: 'terminated',
};

export function exitReason(code: number): string {
  const signal = SIGNAL_NAMES[code];
  return signal === undefined ? `exit status ${code}` : `signal: ${signal}`;
}

export function exitError(requestId: string, exit: ExitInfo): PlatformError {
  if (exit.oomKilled) {
    const errorType = FUNCTION_ERROR_TYPES.OUT_OF_MEMORY;
    return {
      errorType,
      errorKind: 'oom',
      payload: json({
        errorType,
        errorMessage: `RequestId: ${requestId} Error: Runtime exited with error: signal: killed`,
      }),
    };
  }
  const errorType = FUNCTION_ERROR_TYPES.EXIT;
  const reason =
    exit.code === 0
      ? 'Runtime exited without providing a reason'
      : `Runtime exited with error: ${exitReason(exit.code)}`;
  return {
    errorType,
    errorKind: 'exit',
    payload: json({ errorType, errorMessage: `RequestId: ${requestId} Error: ${reason}` }),
  };
}
