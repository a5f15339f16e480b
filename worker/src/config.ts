/**
 * @module
 * Worker configuration, read once from the environment. `WORKER_ENV` is the schema (also read
 * by the docs cross-check test); `loadConfig` is pure: hostname and pid are passed in.
 */
import {
  boolVar,
  COMMON_ENV,
  DRAIN_TIMEOUT_ENV,
  LEASE_TTL_ENV,
  DEFAULTS,
  intVar,
  loadEnv,
  optionalStringVar,
  stringVar,
  type Env,
  type EnvVar,
  type EnvValues,
} from '@lambdock/core';
import { WORKER_DEFAULTS } from './defaults.js';

const OCTET = '(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);

/**
 * A variable that may be unset (undefined) but must match `pattern` when set. Delegates to
 * `stringVar` so a bad value is collected with every other problem by `loadEnv`.
 */
function optionalPatternVar(
  name: string,
  description: string,
  pattern: RegExp,
  hint: string,
  defaultText?: string,
): EnvVar<string | undefined> {
  const strict = stringVar(name, description, { pattern, hint });
  return {
    name,
    description,
    defaultText,
    read: (raw) => (raw === undefined || raw === '' ? undefined : strict.read(raw)),
  };
}

const ms = (name: string, description: string, def: number, min: number, max: number) =>
  intVar(name, description, { default: def, min, max });

export const WORKER_ENV = {
  ...COMMON_ENV,
  port: intVar('WORKER_PORT', 'Port of the worker health and metrics endpoint.', {
    default: 9101,
    min: 0,
    max: 65535,
  }),
  host: stringVar(
    'WORKER_HOST',
    'Address the health and metrics endpoint listens on; connections from the functions network are closed.',
    {
      default: '0.0.0.0',
    },
  ),
  // Ends up in Docker labels and Redis hash fields, hence the strict character set.
  workerId: optionalPatternVar(
    'WORKER_ID',
    'Identity of this worker in container labels and the Redis worker registry; unique per process.',
    /^[A-Za-z0-9_.-]{1,64}$/,
    "must be 1-64 letters, digits, '.', '_' or '-'",
    '<hostname>-<pid>',
  ),
  maxEnvironments: intVar(
    'WORKER_MAX_ENVIRONMENTS',
    'Most execution environments (containers) this worker runs at once; also how many async jobs it holds at once, and, plus WORKER_SYNC_PREFETCH, how many sync jobs (one BullMQ consumer each).',
    { default: WORKER_DEFAULTS.MAX_ENVIRONMENTS, min: 1, max: 1024 },
  ),
  syncPrefetch: intVar(
    'WORKER_SYNC_PREFETCH',
    'Sync jobs this worker takes beyond WORKER_MAX_ENVIRONMENTS, each handed to the next environment that frees. A job taken ahead waits here even if another worker is idle: 0 for several workers running long functions.',
    { default: WORKER_DEFAULTS.SYNC_PREFETCH, min: 0, max: 1024 },
  ),
  memoryBudgetMb: intVar(
    'WORKER_MEMORY_BUDGET_MB',
    'Sum of function MemorySize this worker may have running; the least recently used idle environment is evicted past it.',
    { default: WORKER_DEFAULTS.MEMORY_BUDGET_MB, min: 128, max: 4_194_304 },
  ),
  idleTimeoutMs: ms(
    'WORKER_IDLE_TIMEOUT_MS',
    'An environment idle this long is removed (scale to zero).',
    DEFAULTS.IDLE_TIMEOUT_MS,
    1_000,
    86_400_000,
  ),
  initTimeoutMs: ms(
    'INIT_TIMEOUT_MS',
    'Time a new environment has to start its runtime and ask for its first event.',
    DEFAULTS.INIT_TIMEOUT_MS,
    100,
    900_000,
  ),
  functionNetwork: stringVar(
    'FUNCTION_NETWORK',
    'Docker bridge network function containers join; created (inter-container traffic off) when missing.',
    { default: WORKER_DEFAULTS.FUNCTION_NETWORK, pattern: /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/ },
  ),
  functionNetworkInternal: boolVar(
    'FUNCTION_NETWORK_INTERNAL',
    'Create FUNCTION_NETWORK as an internal network (no egress beyond the host). Only used when the worker creates it.',
    false,
  ),
  runtimeApiHost: optionalPatternVar(
    'RUNTIME_API_HOST',
    "IPv4 address the per-environment Runtime API listeners bind to and containers connect to; defaults to FUNCTION_NETWORK's gateway.",
    IPV4,
    'must be an IPv4 address',
    "<FUNCTION_NETWORK's gateway>",
  ),
  codeDir: stringVar(
    'WORKER_CODE_DIR',
    'Host directory holding extracted zip code, one read-only subdirectory per code hash (same path on host and worker in compose).',
    { default: WORKER_DEFAULTS.CODE_DIR, pattern: /^\/.+/, hint: 'must be an absolute path' },
  ),
  runtimeImageRepository: stringVar(
    'RUNTIME_IMAGE_REPOSITORY',
    'Repository of the runtime images zip functions run in (`<repository>:<runtime>`).',
    { default: WORKER_DEFAULTS.RUNTIME_IMAGE_REPOSITORY, pattern: /^[a-z0-9][a-z0-9._/:-]*$/ },
  ),
  imagePullRegistry: optionalStringVar(
    'IMAGE_PULL_REGISTRY',
    'Registry host (e.g. registry.local:5000) whose missing images may be pulled; unset = never pull.',
  ),
  containerUser: stringVar('CONTAINER_USER', 'uid[:gid] function processes run as (never root).', {
    default: DEFAULTS.CONTAINER_USER,
    pattern: /^[1-9]\d{0,9}(:\d{1,10})?$/,
    hint: 'must be a non-zero numeric uid, optionally :gid',
  }),
  minCpuMillicores: intVar(
    'CONTAINER_MIN_CPU_MILLICORES',
    'Floor of the CPU share a container gets (Lambda scales CPU with memory: 1769 MB = 1 vCPU).',
    { default: WORKER_DEFAULTS.MIN_CPU_MILLICORES, min: 10, max: 64_000 },
  ),
  streamLimitBytes: intVar(
    'STREAM_RESPONSE_LIMIT_BYTES',
    'Largest streamed response relayed to a caller that takes it as it comes (function URLs in RESPONSE_STREAM mode, InvokeWithResponseStream); a buffered response stays within 6 MB.',
    {
      default: DEFAULTS.STREAM_RESPONSE_LIMIT_BYTES,
      min: DEFAULTS.RESPONSE_LIMIT_BYTES,
      max: 200 * 1024 * 1024,
    },
  ),
  logCaptureLimitBytes: intVar(
    'LOG_CAPTURE_LIMIT_BYTES',
    'Function output kept per invocation; the rest is dropped with a marker line.',
    { default: DEFAULTS.LOG_CAPTURE_LIMIT_BYTES, min: 4096, max: 64 * 1024 * 1024 },
  ),
  dockerSocket: stringVar('DOCKER_SOCKET', 'Unix socket of the Docker engine.', {
    default: WORKER_DEFAULTS.DOCKER_SOCKET,
  }),
  leaseTtlMs: LEASE_TTL_ENV,
  drainTimeoutMs: DRAIN_TIMEOUT_ENV,
  lockDurationMs: ms(
    'WORKER_LOCK_DURATION_MS',
    "BullMQ job lock; a dead worker's jobs are recovered after it expires.",
    WORKER_DEFAULTS.LOCK_DURATION_MS,
    5_000,
    600_000,
  ),
  stalledIntervalMs: ms(
    'WORKER_STALLED_INTERVAL_MS',
    'How often this worker looks for stalled jobs (jobs whose lock expired).',
    WORKER_DEFAULTS.STALLED_INTERVAL_MS,
    1_000,
    600_000,
  ),
  maxStalledCount: intVar(
    'WORKER_MAX_STALLED_COUNT',
    'Times a job may be recovered from a dead worker before it fails as stalled.',
    { default: WORKER_DEFAULTS.MAX_STALLED_COUNT, min: 1, max: 100 },
  ),
  asyncRetryBaseDelayMs: ms(
    'ASYNC_RETRY_BASE_DELAY_MS',
    'Wait before the first retry of an async event after a function error; the n-th waits base x 2^(n-1) (Lambda: 1 then 2 minutes).',
    WORKER_DEFAULTS.ASYNC_RETRY_BASE_DELAY_MS,
    10,
    3_600_000,
  ),
  asyncRecordTtlS: intVar(
    'ASYNC_RECORD_TTL_S',
    'How long an async invocation record (status, attempts, result, deliveries) is kept after its last change.',
    { default: WORKER_DEFAULTS.ASYNC_RECORD_TTL_S, min: 60, max: 90 * 86_400 },
  ),
} as const;

type RawWorkerConfig = EnvValues<typeof WORKER_ENV>;
export type WorkerConfig = Readonly<Omit<RawWorkerConfig, 'workerId'> & { workerId: string }>;

export interface HostIdentity {
  hostname: string;
  pid: number;
}

export function loadConfig(env: Env, host: HostIdentity): WorkerConfig {
  const raw = loadEnv(WORKER_ENV, env);
  const fallbackId = `${host.hostname}-${host.pid}`.replace(/[^A-Za-z0-9_.-]/g, '_').slice(0, 64);
  return Object.freeze({ ...raw, workerId: raw.workerId ?? fallbackId });
}
