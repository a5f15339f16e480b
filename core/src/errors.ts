/**
 * @module
 * The one error catalogue. Every error a client or an operator can see has a stable `code`
 * here, the HTTP status it is rendered with, and (for Lambda API callers) the exact AWS
 * exception name sent in `x-amzn-ErrorType`. Branch on `code`, never on `instanceof`.
 */

/**
 * How AWS shapes the JSON body of an exception (it differs per exception; see the oracle).
 * `__type+message` is the JSON protocol's (the CloudWatch Logs API): the exception's name in
 * the body as well.
 */
export type ErrorBodyShape = 'Type+Message' | 'Type+message' | 'message' | '__type+message';

export interface ErrorSpec {
  readonly code: string;
  readonly awsType: string;
  readonly statusCode: number;
  readonly body: ErrorBodyShape;
  /** `User` for caller faults, `Service` for ours. */
  readonly kind: 'User' | 'Service';
  readonly description: string;
}

function spec(
  code: string,
  awsType: string,
  statusCode: number,
  body: ErrorBodyShape,
  description: string,
): ErrorSpec {
  return Object.freeze({
    code,
    awsType,
    statusCode,
    body,
    kind: statusCode >= 500 ? 'Service' : 'User',
    description,
  });
}

export const ERRORS = Object.freeze({
  FUNCTION_NOT_FOUND: spec(
    'LDK_ERR_FUNCTION_NOT_FOUND',
    'ResourceNotFoundException',
    404,
    'Type+Message',
    'The function, version or alias does not exist.',
  ),
  RESOURCE_NOT_FOUND: spec(
    'LDK_ERR_RESOURCE_NOT_FOUND',
    'ResourceNotFoundException',
    404,
    'Type+Message',
    'A resource other than a function (a configuration, a route, a layer version) does not exist.',
  ),
  PROVISIONED_CONFIG_NOT_FOUND: spec(
    'LDK_ERR_PROVISIONED_CONFIG_NOT_FOUND',
    'ProvisionedConcurrencyConfigNotFoundException',
    404,
    'Type+message',
    'A published version or alias that exists has no provisioned concurrency config.',
  ),
  FUNCTION_EXISTS: spec(
    'LDK_ERR_FUNCTION_EXISTS',
    'ResourceConflictException',
    409,
    'Type+message',
    'CreateFunction for a name that is already taken.',
  ),
  FUNCTION_CONFLICT: spec(
    'LDK_ERR_FUNCTION_CONFLICT',
    'ResourceConflictException',
    409,
    'Type+message',
    'The function is not in a state that allows the operation (pending, failed, update in progress).',
  ),
  ALIAS_EXISTS: spec(
    'LDK_ERR_ALIAS_EXISTS',
    'ResourceConflictException',
    409,
    'Type+message',
    'CreateAlias for a name the function already has an alias by.',
  ),
  VERSION_REFERENCED: spec(
    'LDK_ERR_VERSION_REFERENCED',
    'ResourceConflictException',
    409,
    'Type+message',
    'DeleteFunction of a published version that an alias still points at (or routes to).',
  ),
  ALIAS_LATEST_ROUTING: spec(
    'LDK_ERR_ALIAS_LATEST_ROUTING',
    'InvalidParameterValueException',
    400,
    'message',
    'An alias on `$LATEST` with an additional version to route to (AWS answers without `Type`).',
  ),
  CODE_SIGNING_CONFIG_NOT_FOUND: spec(
    'LDK_ERR_CODE_SIGNING_CONFIG_NOT_FOUND',
    'CodeSigningConfigNotFoundException',
    404,
    'Type+Message',
    'CreateFunction or PutFunctionCodeSigningConfig names a code signing config; lambdock keeps none.',
  ),
  POLICY_STATEMENT_EXISTS: spec(
    'LDK_ERR_POLICY_STATEMENT_EXISTS',
    'ResourceConflictException',
    409,
    'Type+message',
    "AddPermission or AddLayerVersionPermission with a StatementId the resource's policy already has.",
  ),
  SOURCE_CONFLICT: spec(
    'LDK_ERR_SOURCE_CONFLICT',
    'ResourceConflictException',
    409,
    'Type+message',
    'An event source (route, function URL, schedule, webhook, trigger) with that name or shape already exists.',
  ),
  WEBHOOK_UNAUTHORIZED: spec(
    'LDK_ERR_WEBHOOK_UNAUTHORIZED',
    'UnauthorizedException',
    401,
    'message',
    "A storage webhook delivery without the webhook's secret (Authorization: Bearer or ?token=); nothing is invoked.",
  ),
  MISSING_SIGNATURE: spec(
    'LDK_ERR_AUTH_MISSING',
    'MissingAuthenticationTokenException',
    403,
    'message',
    'ACCESS_KEYS is set and the request carries no SigV4 Authorization header.',
  ),
  INCOMPLETE_SIGNATURE: spec(
    'LDK_ERR_AUTH_INCOMPLETE',
    'IncompleteSignatureException',
    403,
    'message',
    'The Authorization header is not a complete AWS4-HMAC-SHA256 signature (a part or the date is missing).',
  ),
  UNRECOGNIZED_CLIENT: spec(
    'LDK_ERR_AUTH_UNKNOWN_KEY',
    'UnrecognizedClientException',
    403,
    'message',
    'The request is signed with an access key id that ACCESS_KEYS does not list.',
  ),
  INVALID_SIGNATURE: spec(
    'LDK_ERR_AUTH_SIGNATURE',
    'InvalidSignatureException',
    403,
    'message',
    "The signature does not match the request and the key's secret, or its date is more than 5 minutes off, or its scope is not the service's (`lambda`, or `logs` for the CloudWatch Logs API).",
  ),
  RESERVED_BELOW_PROVISIONED: spec(
    'LDK_ERR_RESERVED_BELOW_PROVISIONED',
    'InvalidParameterValueException',
    400,
    'message',
    "PutFunctionConcurrency asks for less than the function's provisioned concurrency, all versions and aliases together.",
  ),
  PROVISIONED_OVER_ACCOUNT: spec(
    'LDK_ERR_PROVISIONED_OVER_ACCOUNT',
    'InvalidParameterValueException',
    400,
    'message',
    "PutProvisionedConcurrencyConfig asks for more than the account's unreserved concurrency.",
  ),
  INVALID_PARAMETER: spec(
    'LDK_ERR_REQUEST_INVALID_PARAMETER',
    'InvalidParameterValueException',
    400,
    'Type+message',
    'A parameter has a value AWS would reject with InvalidParameterValueException.',
  ),
  VALIDATION: spec(
    'LDK_ERR_REQUEST_VALIDATION',
    'ValidationException',
    400,
    'message',
    'A parameter breaks a constraint of the API model (pattern, length, range, enum).',
  ),
  INVALID_CONTENT: spec(
    'LDK_ERR_REQUEST_INVALID_CONTENT',
    'InvalidRequestContentException',
    400,
    'Type+message',
    'The request body is not valid JSON.',
  ),
  REQUEST_TOO_LARGE: spec(
    'LDK_ERR_REQUEST_TOO_LARGE',
    'RequestEntityTooLargeException',
    413,
    'message',
    'The request body is over the limit for the operation (6 MB sync invoke, 1 MB async).',
  ),
  UNSUPPORTED_MEDIA_TYPE: spec(
    'LDK_ERR_REQUEST_MEDIA_TYPE',
    'UnsupportedMediaTypeException',
    415,
    'Type+message',
    'The request content type is not accepted for the operation.',
  ),
  PRECONDITION_FAILED: spec(
    'LDK_ERR_REQUEST_PRECONDITION',
    'PreconditionFailedException',
    412,
    'Type+message',
    'The RevisionId given does not match the current one.',
  ),
  THROTTLED: spec(
    'LDK_ERR_INVOKE_THROTTLED',
    'TooManyRequestsException',
    429,
    'Type+message',
    'A concurrency limit (reserved, account-wide) is exhausted; the body carries `Reason`.',
  ),
  CONCURRENCY_LIMIT: spec(
    'LDK_ERR_CONCURRENCY_LIMIT',
    'InvalidParameterValueException',
    400,
    'message',
    'A reserved concurrency would leave the account less unreserved concurrency than its minimum.',
  ),
  ACCESS_DENIED: spec(
    'LDK_ERR_ACCESS_DENIED',
    'AccessDeniedException',
    403,
    'Type+Message',
    'The request names a resource of another account (an ARN with a foreign account id).',
  ),
  UNKNOWN_OPERATION: spec(
    'LDK_ERR_REQUEST_UNKNOWN_OPERATION',
    'UnknownOperationException',
    404,
    'message',
    'No Lambda API operation is served at this method and path.',
  ),
  LOGS_GROUP_NOT_FOUND: spec(
    'LDK_ERR_LOGS_GROUP_NOT_FOUND',
    'ResourceNotFoundException',
    400,
    '__type+message',
    'CloudWatch Logs API: no function logs to the log group, or none of them has logged yet.',
  ),
  LOGS_STREAM_NOT_FOUND: spec(
    'LDK_ERR_LOGS_STREAM_NOT_FOUND',
    'ResourceNotFoundException',
    400,
    '__type+message',
    'CloudWatch Logs API: the log group has no log stream by that name (or all of its events were trimmed).',
  ),
  LOGS_INVALID_PARAMETER: spec(
    'LDK_ERR_LOGS_INVALID_PARAMETER',
    'InvalidParameterException',
    400,
    '__type+message',
    'CloudWatch Logs API: a parameter is missing, malformed or out of range (a nextToken, a filter pattern, a limit).',
  ),
  LOGS_UNSUPPORTED_OPERATION: spec(
    'LDK_ERR_LOGS_UNSUPPORTED_OPERATION',
    'InvalidOperationException',
    400,
    '__type+message',
    'CloudWatch Logs API: an operation of the service that lambdock does not serve (it reads function logs; it does not take them).',
  ),
  LOGS_UNKNOWN_OPERATION: spec(
    'LDK_ERR_LOGS_UNKNOWN_OPERATION',
    'UnknownOperationException',
    400,
    '__type+message',
    'CloudWatch Logs API: `X-Amz-Target` is not of the form `Logs_20140328.<Operation>`.',
  ),
  LOGS_SERIALIZATION: spec(
    'LDK_ERR_LOGS_SERIALIZATION',
    'SerializationException',
    400,
    '__type+message',
    'CloudWatch Logs API: the body is not a JSON object, or a member has the wrong type.',
  ),
  SERVICE_UNAVAILABLE: spec(
    'LDK_ERR_SERVICE_UNAVAILABLE',
    'ServiceException',
    503,
    'Type+Message',
    'Redis did not take the write (down, read-only or out of memory), or a function (or the alias invoked) changed during each of three admissions; nothing was accepted.',
  ),
  INTERNAL: spec(
    'LDK_ERR_SERVICE_INTERNAL',
    'ServiceException',
    500,
    'Type+Message',
    'An unexpected failure inside lambdock; details are in the service log, never in the body.',
  ),
  INVOKE_TIMEOUT: spec(
    'LDK_ERR_INVOKE_NO_REPLY',
    'ServiceException',
    500,
    'Type+Message',
    'No worker answered a synchronous invocation within its timeout plus the grace period.',
  ),
  ASYNC_STALLED: spec(
    'LDK_ERR_ASYNC_STALLED',
    'ServiceException',
    500,
    'Type+Message',
    'Error type of an async event whose worker died mid-run more than WORKER_MAX_STALLED_COUNT times.',
  ),
  ASYNC_FAILED: spec(
    'LDK_ERR_ASYNC_FAILED',
    'ServiceException',
    500,
    'Type+Message',
    "Error type of an async event whose handling in the worker failed on every one of its job's attempts.",
  ),
  CONFIG: spec(
    'LDK_ERR_CONFIG_INVALID',
    'ServiceException',
    500,
    'Type+Message',
    'The environment holds invalid configuration, or Redis evicts keys; the service refuses to run.',
  ),
});

export type ErrorKey = keyof typeof ERRORS;

export interface AppErrorOptions {
  cause?: unknown;
  /** Extra members copied into the JSON body, e.g. `Reason` for throttles. */
  fields?: Record<string, string | number>;
  /** Extra response headers, e.g. `Retry-After`. */
  headers?: Record<string, string>;
}

/** The base of every error lambdock renders. */
export class AppError extends Error {
  readonly code: string;
  readonly awsType: string;
  readonly statusCode: number;
  readonly body: ErrorBodyShape;
  readonly kind: 'User' | 'Service';
  /** Whether the message may be shown to the caller (never for 5xx). */
  readonly expose: boolean;
  readonly fields: Readonly<Record<string, string | number>>;
  readonly headers: Readonly<Record<string, string>>;

  constructor(errorSpec: ErrorSpec, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = errorSpec.awsType;
    this.code = errorSpec.code;
    this.awsType = errorSpec.awsType;
    this.statusCode = errorSpec.statusCode;
    this.body = errorSpec.body;
    this.kind = errorSpec.kind;
    this.expose = errorSpec.statusCode < 500;
    this.fields = Object.freeze({ ...options.fields });
    this.headers = Object.freeze({ ...options.headers });
  }
}

/** Duck-typed check so errors from another copy of this package still match (branch on code). */
export function isAppError(err: unknown): err is AppError {
  return (
    typeof err === 'object' &&
    err !== null &&
    typeof (err as { code?: unknown }).code === 'string' &&
    (err as { code: string }).code.startsWith('LDK_ERR_') &&
    typeof (err as { statusCode?: unknown }).statusCode === 'number'
  );
}

/** Raised by `loadConfig` with every problem found, one per line. */
export class ConfigError extends AppError {
  readonly problems: readonly string[];
  constructor(problems: readonly string[]) {
    super(ERRORS.CONFIG, `invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.problems = Object.freeze([...problems]);
  }
}
