/**
 * @module
 * The invoker interface: run one event through a function and say what happened. The
 * container implementation (container-invoker.ts) is one; the job processors depend only on
 * this interface, so they are tested with a fake.
 */
import type { FunctionRecord } from '@lambdock/core';

export type FunctionErrorKind =
  'handler' | 'init' | 'timeout' | 'exit' | 'oom' | 'response-too-large';

export interface InvokeRequest {
  readonly requestId: string;
  readonly record: FunctionRecord;
  /** `$LATEST` or the version number: START lines and X-Amz-Executed-Version. */
  readonly version: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly traceId?: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  /** Sync callers are waiting: they go first when the worker is full. */
  readonly priority: 'sync' | 'async';
  /** When (epoch ms) to stop waiting for capacity: the caller stops waiting for the answer. */
  readonly giveUpAt?: number;
  /** Takes a streamed response's chunks as they arrive (function URLs in RESPONSE_STREAM mode). */
  readonly onChunk?: (data: Buffer, contentType: string | undefined) => void;
  /** The provisioned environment a gateway claimed for this invocation (direct queue). */
  readonly environmentId?: string;
}

export interface InvokeResult {
  readonly outcome: 'success' | 'function-error';
  readonly payload: Buffer;
  readonly contentType: string | undefined;
  readonly errorType?: string;
  readonly errorKind?: FunctionErrorKind;
  readonly coldStart: boolean;
  readonly durationMs: number;
  readonly initDurationMs?: number;
  /** The framed log (START ... REPORT); settles shortly after the result. */
  readonly log: Promise<string>;
  /** The log stream of the environment that ran it (AWS_LAMBDA_LOG_STREAM_NAME). */
  readonly logStream?: string;
}

export interface Invoker {
  invoke(request: InvokeRequest): Promise<InvokeResult>;
}

export type SystemFailure =
  'image-missing' | 'code-missing' | 'code-invalid' | 'capacity' | 'aborted' | 'engine';

/** The platform could not run the function at all (not a function error). */
export class InvokeSystemError extends Error {
  readonly code = 'LDK_ERR_INVOKE_SYSTEM';
  constructor(
    readonly failure: SystemFailure,
    message: string,
    /** True when trying again later may succeed (engine down, capacity). */
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
