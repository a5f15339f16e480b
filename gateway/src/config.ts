/**
 * @module
 * Gateway configuration: the variables every service reads plus the gateway's own. The schema
 * object is exported so the docs test can compare it with docs/CONFIG.md in both directions.
 */
import {
  COMMON_ENV,
  DRAIN_TIMEOUT_ENV,
  LEASE_TTL_ENV,
  DEFAULTS,
  intVar,
  loadEnv,
  optionalStringVar,
  pairsVar,
  stringVar,
  type Env,
  type EnvValues,
} from '@lambdock/core';

const MAX_PAYLOAD_LIMIT_BYTES = 64 * 1024 * 1024;

/**
 * As often as workers re-plan provisioned concurrency (every second): a new config is used by
 * placement about when its first environments are ready, at one small read per second.
 */
const PROVISIONED_REFRESH_MS = 1000;
/** A live worker takes a job naming its idle environment within milliseconds. */
const DIRECT_PICKUP_MS = 1000;

export const GATEWAY_ENV = {
  ...COMMON_ENV,
  port: intVar('GATEWAY_PORT', 'Port of the Lambda API, /metrics, /healthz and /readyz.', {
    default: DEFAULTS.GATEWAY_PORT,
    min: 0,
    max: 65535,
  }),
  host: stringVar('GATEWAY_HOST', 'Address the gateway listens on.', { default: '0.0.0.0' }),
  syncPayloadLimitBytes: intVar(
    'SYNC_PAYLOAD_LIMIT_BYTES',
    'Largest RequestResponse/DryRun invoke payload; larger ones get 413, and no byte past the limit is kept.',
    { default: DEFAULTS.SYNC_PAYLOAD_LIMIT_BYTES, min: 1, max: MAX_PAYLOAD_LIMIT_BYTES },
  ),
  asyncPayloadLimitBytes: intVar(
    'ASYNC_PAYLOAD_LIMIT_BYTES',
    'Largest Event (async) invoke payload; larger ones get 413, and no byte past the limit is kept.',
    { default: DEFAULTS.ASYNC_PAYLOAD_LIMIT_BYTES, min: 1, max: MAX_PAYLOAD_LIMIT_BYTES },
  ),
  syncReplyGraceMs: intVar(
    'SYNC_REPLY_GRACE_MS',
    'How long a sync caller waits beyond the function timeout (queueing, cold start) before 500.',
    { default: DEFAULTS.SYNC_REPLY_GRACE_MS, min: 0, max: 3_600_000 },
  ),
  leaseTtlMs: LEASE_TTL_ENV,
  redisTimeoutMs: intVar(
    'REDIS_TIMEOUT_MS',
    'Enqueue and lease calls slower than this answer 503 ServiceException instead of waiting.',
    { default: DEFAULTS.REDIS_TIMEOUT_MS, min: 50, max: 60_000 },
  ),
  drainTimeoutMs: DRAIN_TIMEOUT_ENV,
  publicUrl: optionalStringVar(
    'GATEWAY_PUBLIC_URL',
    'Base URL clients reach this gateway at; function URLs are `<base>/lambda-url/<id>/`. Default: `http://127.0.0.1:<GATEWAY_PORT>`.',
  ),
  sourcesRefreshMs: intVar(
    'SOURCES_REFRESH_MS',
    'How often a gateway re-checks Redis for route, function URL, webhook and trigger changes made through other replicas.',
    { default: DEFAULTS.SOURCES_REFRESH_MS, min: 10, max: 60_000 },
  ),
  directPickupMs: intVar(
    'DIRECT_PICKUP_MS',
    'How long a sync invoke placed on a worker holding an idle provisioned environment waits for that worker to take it before the job moves to the shared queue (the worker died or stalls).',
    { default: DIRECT_PICKUP_MS, min: 10, max: 60_000 },
  ),
  provisionedRefreshMs: intVar(
    'PROVISIONED_REFRESH_MS',
    'How often a gateway re-reads which versions have provisioned concurrency; sync invokes of those are placed on an idle provisioned environment.',
    { default: PROVISIONED_REFRESH_MS, min: 10, max: 60_000 },
  ),
  sourcesFile: optionalStringVar(
    'SOURCES_FILE',
    'A JSON file of routes, schedules, webhooks and storage triggers applied at start (see docs/SOURCES.md).',
  ),
  webhookDedupeTtlS: intVar(
    'WEBHOOK_DEDUPE_TTL_S',
    'How long a delivered storage notification is remembered so a replay invokes nothing.',
    { default: DEFAULTS.WEBHOOK_DEDUPE_TTL_S, min: 60, max: 30 * 86_400 },
  ),
  accessKeys: pairsVar(
    'ACCESS_KEYS',
    'Access keys the Lambda API accepts, as `id:secret` pairs separated by commas: every request to it must then carry an AWS SigV4 signature by one of them, and function URLs with AuthType AWS_IAM accept such requests. Unset: the API accepts any request, signed or not.',
    { namePattern: /^[A-Za-z0-9_-]{3,128}$/, hint: 'an access key id is 3-128 of A-Z a-z 0-9 _ -' },
  ),
  headersTimeoutMs: intVar(
    'GATEWAY_HEADERS_TIMEOUT_MS',
    "A client that has not sent a request's headers in full within this time gets 408 and is disconnected (at most GATEWAY_REQUEST_TIMEOUT_MS).",
    { default: 10_000, min: 100, max: 600_000 },
  ),
  requestTimeoutMs: intVar(
    'GATEWAY_REQUEST_TIMEOUT_MS',
    'A client that has not sent a request in full, body included, within this time gets 408 and is disconnected; an invocation may run longer once its request is in.',
    { default: 120_000, min: 100, max: 3_600_000 },
  ),
  gatewayId: optionalStringVar(
    'GATEWAY_ID',
    'Name of this gateway replica (its reply channel); default: host name plus a random suffix.',
  ),
} as const;

export type GatewayConfig = EnvValues<typeof GATEWAY_ENV>;

/** Pure: reads only `env`, reports every problem at once (ConfigError). */
export function loadConfig(env: Env): GatewayConfig {
  return loadEnv(GATEWAY_ENV, env);
}
