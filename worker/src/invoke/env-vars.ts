/**
 * @module
 * The environment a function process starts with (lambda-api.md §1.8): the full Lambda set
 * that AWS's runtime clients require, plus the user's variables, which may never override a
 * reserved name. PATH, LANG and friends come from the image, as in Lambda's base images.
 */
import { randomBytes } from 'node:crypto';
import { logGroupName, RESERVED_ENVIRONMENT_KEYS, type FunctionRecord } from '@lambdock/core';

/**
 * Names a user value may not override: Lambda's reserved list, plus the ones the platform
 * sets from the function's configuration (log format and level) and the fixed time zone.
 */
export const RESERVED_ENV_KEYS: ReadonlySet<string> = new Set([
  ...RESERVED_ENVIRONMENT_KEYS,
  'AWS_LAMBDA_LOG_FORMAT',
  'AWS_LAMBDA_LOG_LEVEL',
  'TZ',
]);

/**
 * Placeholder credentials: SDKs inside functions need some to sign requests (lambdock's own
 * gateway accepts any signature by default); they grant nothing anywhere.
 */
const DUMMY_CREDENTIALS = Object.freeze({
  AWS_ACCESS_KEY_ID: 'AKIALAMBDOCKLOCAL000',
  AWS_SECRET_ACCESS_KEY: 'lambdock-local-secret-access-key',
  AWS_SESSION_TOKEN: 'lambdock-local-session-token',
});

export interface FunctionEnvInput {
  readonly record: FunctionRecord;
  /** `host:port` of this environment's Runtime API listener. */
  readonly runtimeApi: string;
  readonly region: string;
  /** Zip: the Handler; Image: derived from the command (see handlerForImage). */
  readonly handler: string | undefined;
  readonly logStreamName: string;
  readonly version: string;
  /** AWS_LAMBDA_INITIALIZATION_TYPE. @defaultValue 'on-demand' */
  readonly initializationType?: 'on-demand' | 'provisioned-concurrency';
}

/** `YYYY/MM/DD/[$LATEST]<32 hex>`: one stream per environment, as in CloudWatch Logs. */
export function logStreamName(
  at: Date,
  version: string,
  hex = randomBytes(16).toString('hex'),
): string {
  const day = at.toISOString().slice(0, 10).replace(/-/g, '/');
  return `${day}/[${version}]${hex}`;
}

/** AWS's emulator treats the last word of a multi-word command as the handler. */
export function handlerForImage(
  command: readonly string[] | undefined,
  imageCmd: readonly string[],
): string | undefined {
  const words = command !== undefined && command.length > 0 ? command : imageCmd;
  return words.length > 0 ? words[words.length - 1] : undefined;
}

function platformVars(input: FunctionEnvInput): Record<string, string> {
  const { record } = input;
  const vars: Record<string, string> = {
    AWS_LAMBDA_RUNTIME_API: input.runtimeApi,
    LAMBDA_TASK_ROOT: '/var/task',
    LAMBDA_RUNTIME_DIR: '/var/runtime',
    AWS_LAMBDA_FUNCTION_NAME: record.name,
    AWS_LAMBDA_FUNCTION_VERSION: input.version,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(record.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: record.loggingConfig?.LogGroup || logGroupName(record.name),
    AWS_LAMBDA_LOG_STREAM_NAME: input.logStreamName,
    AWS_REGION: input.region,
    AWS_DEFAULT_REGION: input.region,
    AWS_LAMBDA_INITIALIZATION_TYPE: input.initializationType ?? 'on-demand',
    TZ: ':UTC',
    ...DUMMY_CREDENTIALS,
  };
  if (input.handler !== undefined) vars._HANDLER = input.handler;
  // Custom runtimes (provided*) and images have no AWS_EXECUTION_ENV in Lambda.
  if (record.packageType === 'Zip' && record.runtime && !record.runtime.startsWith('provided')) {
    vars.AWS_EXECUTION_ENV = `AWS_Lambda_${record.runtime}`;
  }
  if (record.loggingConfig?.LogFormat === 'JSON') {
    vars.AWS_LAMBDA_LOG_FORMAT = 'JSON';
    vars.AWS_LAMBDA_LOG_LEVEL = record.loggingConfig.ApplicationLogLevel ?? 'INFO';
  }
  return vars;
}

/** `KEY=value` lines for Docker: user variables first, reserved ones always the platform's. */
export function buildFunctionEnv(input: FunctionEnvInput): string[] {
  const merged = new Map<string, string>();
  for (const [key, value] of Object.entries(input.record.environment ?? {})) {
    if (RESERVED_ENV_KEYS.has(key) || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) continue;
    if (typeof value !== 'string' || value.includes('\0')) continue;
    merged.set(key, value);
  }
  for (const [key, value] of Object.entries(platformVars(input))) merged.set(key, value);
  return [...merged].map(([key, value]) => `${key}=${value}`);
}
