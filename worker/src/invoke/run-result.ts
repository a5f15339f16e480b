/**
 * @module
 * What a finished run means for the caller: payload, error type and kind, and whether the
 * environment may serve again. Only a response or a handler error leave it warm.
 */
import { responseTooLargeError } from './error-payloads.js';
import type { Ending } from './invocation-run.js';
import type { FunctionErrorKind } from './invoker.js';

export interface RunVerdict {
  readonly outcome: 'success' | 'function-error';
  readonly payload: Buffer;
  readonly contentType: string | undefined;
  readonly errorType?: string;
  readonly errorKind?: FunctionErrorKind;
  /** For the REPORT line: set when the platform ended the invocation. */
  readonly status?: 'timeout' | 'error';
  readonly reusable: boolean;
}

const JSON_TYPE = 'application/json';

export function verdictFor(
  ending: Exclude<Ending, { kind: 'vanished' | 'engine-lost' }>,
  responseLimitBytes: number,
): RunVerdict {
  if (ending.kind === 'platform') {
    const { error } = ending;
    return {
      outcome: 'function-error',
      payload: error.payload,
      contentType: JSON_TYPE,
      errorType: error.errorType,
      errorKind: error.errorKind,
      status: ending.status,
      reusable: false,
    };
  }
  const { outcome } = ending;
  switch (outcome.kind) {
    case 'response':
      return {
        outcome: 'success',
        payload: outcome.body,
        contentType: outcome.contentType,
        reusable: true,
      };
    case 'function-error':
    case 'init-error':
      return {
        outcome: 'function-error',
        payload: outcome.body,
        contentType: JSON_TYPE,
        errorType: outcome.errorType,
        errorKind: outcome.kind === 'init-error' ? 'init' : 'handler',
        ...(outcome.kind === 'init-error' ? { status: 'error' as const } : {}),
        reusable: outcome.kind === 'function-error',
      };
    case 'too-large': {
      const error = responseTooLargeError(outcome.limitBytes ?? responseLimitBytes);
      return {
        outcome: 'function-error',
        payload: error.payload,
        contentType: JSON_TYPE,
        errorType: error.errorType,
        errorKind: error.errorKind,
        reusable: false,
      };
    }
  }
}
