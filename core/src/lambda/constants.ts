/**
 * @module
 * Lambda protocol constants: Runtime API paths and headers, invoke headers, runtimes,
 * and the error types functions and callers see (verbatim from AWS).
 */

export const RUNTIME_API_VERSION = '2018-06-01';

export const RUNTIME_HEADERS = Object.freeze({
  REQUEST_ID: 'lambda-runtime-aws-request-id',
  DEADLINE_MS: 'lambda-runtime-deadline-ms',
  FUNCTION_ARN: 'lambda-runtime-invoked-function-arn',
  TRACE_ID: 'lambda-runtime-trace-id',
  CLIENT_CONTEXT: 'lambda-runtime-client-context',
  COGNITO_IDENTITY: 'lambda-runtime-cognito-identity',
  ERROR_TYPE: 'lambda-runtime-function-error-type',
  RESPONSE_MODE: 'lambda-runtime-function-response-mode',
  /**
   * lambdock's own: the bytes a runtime wrote to stdout and stderr since it took the event,
   * sent with its answer, so the worker knows when that output has all arrived.
   */
  OUTPUT_BYTES: 'lambdock-runtime-output-bytes',
});

export const INVOKE_HEADERS = Object.freeze({
  INVOCATION_TYPE: 'x-amz-invocation-type',
  LOG_TYPE: 'x-amz-log-type',
  CLIENT_CONTEXT: 'x-amz-client-context',
  TRACE_ID: 'x-amzn-trace-id',
  EXECUTED_VERSION: 'X-Amz-Executed-Version',
  FUNCTION_ERROR: 'X-Amz-Function-Error',
  LOG_RESULT: 'X-Amz-Log-Result',
  REQUEST_ID: 'x-amzn-RequestId',
});

export type InvocationType = 'RequestResponse' | 'Event' | 'DryRun';

/**
 * Runtimes lambdock ships images for. The three `provided` ids run the one custom-runtime image;
 * plain `provided` stays accepted (AWS has retired it) because functions written for it run
 * unchanged on that image.
 */
export const RUNTIMES = [
  'nodejs20.x',
  'python3.11',
  'provided',
  'provided.al2',
  'provided.al2023',
] as const;
export type Runtime = (typeof RUNTIMES)[number];

/** Error types a caller sees in the payload of a failed invocation. */
export const FUNCTION_ERROR_TYPES = Object.freeze({
  TIMEOUT: 'Sandbox.Timedout',
  EXIT: 'Runtime.ExitError',
  RESPONSE_TOO_LARGE: 'Function.ResponseSizeTooLarge',
  UNKNOWN: 'Runtime.Unknown',
  INIT_TIMEOUT: 'Runtime.InitTimeout',
  OUT_OF_MEMORY: 'Runtime.OutOfMemory',
  INVALID_ENTRYPOINT: 'Runtime.InvalidEntrypoint',
});

/** Reasons AWS gives in a 429 `TooManyRequestsException` body. */
export const THROTTLE_REASONS = Object.freeze({
  RESERVED: 'ReservedFunctionConcurrentInvocationLimitExceeded',
  ACCOUNT: 'ConcurrentInvocationLimitExceeded',
});
export type ThrottleReason = (typeof THROTTLE_REASONS)[keyof typeof THROTTLE_REASONS];

export function timeoutMessage(requestId: string, timeoutSeconds: number): string {
  return `RequestId: ${requestId} Error: Task timed out after ${timeoutSeconds.toFixed(2)} seconds`;
}

/** Set by Lambda for every function; a function may not set them (AWS documentation). */
export const RESERVED_ENVIRONMENT_KEYS: readonly string[] = Object.freeze([
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
]);
