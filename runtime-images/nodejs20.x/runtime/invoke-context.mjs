/**
 * @module invoke-context
 * Builds the `context` a handler receives from the `/next` answer's headers and the function's
 * environment, and points `_X_AMZN_TRACE_ID` at this invocation's trace header.
 */
import { PLAIN_ENV } from './trace-env.mjs';

const HEADER = Object.freeze({
  requestId: 'lambda-runtime-aws-request-id',
  deadlineMs: 'lambda-runtime-deadline-ms',
  functionArn: 'lambda-runtime-invoked-function-arn',
  traceId: 'lambda-runtime-trace-id',
  clientContext: 'lambda-runtime-client-context',
  cognitoIdentity: 'lambda-runtime-cognito-identity',
  tenantId: 'lambda-runtime-aws-tenant-id',
});

function parseJsonHeader(value, name) {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new Error(`Cannot parse ${name} as json: ${error.toString()}`);
  }
}

/** The invocation id from `/next` headers (Node already lower-cases header names). */
export function requestIdOf(headers) {
  const id = headers[HEADER.requestId];
  if (!id) throw new Error('invocation id is missing or invalid');
  return id;
}

/**
 * Adds the invocation's fields to `base` (the callback or streaming context, whose
 * `callbackWaitsForEmptyEventLoop` accessor must survive) and returns it. Throws when the
 * client context or identity header is not JSON, which fails the invocation as on AWS.
 */
export function attachInvokeContext(base, headers, env = process.env) {
  if (headers[HEADER.traceId]) env._X_AMZN_TRACE_ID = headers[HEADER.traceId];
  else delete env._X_AMZN_TRACE_ID;
  const deadline = Number(headers[HEADER.deadlineMs]);
  // Read at every invocation, as AWS's runtime does: a function may change them.
  const vars = env[PLAIN_ENV] ?? env;
  return Object.assign(base, {
    functionVersion: vars.AWS_LAMBDA_FUNCTION_VERSION,
    functionName: vars.AWS_LAMBDA_FUNCTION_NAME,
    memoryLimitInMB: vars.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: vars.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: vars.AWS_LAMBDA_LOG_STREAM_NAME,
    clientContext: parseJsonHeader(headers[HEADER.clientContext], 'ClientContext'),
    identity: parseJsonHeader(headers[HEADER.cognitoIdentity], 'CognitoIdentity'),
    invokedFunctionArn: headers[HEADER.functionArn],
    awsRequestId: headers[HEADER.requestId],
    tenantId: headers[HEADER.tenantId],
    getRemainingTimeInMillis: () => deadline - Date.now(),
  });
}
