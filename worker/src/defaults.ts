/**
 * @module
 * Worker-only defaults, each with the reason for its value. Shared ones live in core's DEFAULTS.
 */
export const WORKER_DEFAULTS = Object.freeze({
  /** Sixteen small environments fit a 2-core, 4 GB host; raise it on bigger hosts. */
  MAX_ENVIRONMENTS: 16,
  /**
   * Sync jobs taken ahead of a free environment. Under load the next event is then in hand
   * when an environment frees, instead of one Redis round trip away (with four environments,
   * +15-30 % sync throughput on two cores); few enough that another worker's idle
   * environments are not kept waiting long.
   */
  SYNC_PREFETCH: 4,
  /** Half of a 16 GB host for functions; the rest stays with Redis, Docker and the OS. */
  MEMORY_BUDGET_MB: 8192,
  /** Created on first start; the name compose uses for the same network. */
  FUNCTION_NETWORK: 'lambdock-functions',
  /** Outside any container image and not under /tmp, so it survives a reboot. */
  CODE_DIR: '/var/lib/lambdock/code',
  /** What runtime-images/ builds: `lambdock/runtime:<runtime>`. */
  RUNTIME_IMAGE_REPOSITORY: 'lambdock/runtime',
  DOCKER_SOCKET: '/var/run/docker.sock',
  /**
   * Lambda's 1769 MB = 1 vCPU gives a 128 MB function 0.07 of a core, which turns a 100 ms
   * Node start into a second. A quarter core keeps cold starts near Lambda's.
   */
  MIN_CPU_MILLICORES: 250,
  /**
   * BullMQ's default lock. A killed worker's job is re-run after at most about
   * lockDuration + 2 x stalledInterval (30 + 30 s). Shorter locks recover faster but a
   * worker whose event loop stalls for half the lock loses jobs it is still running.
   */
  LOCK_DURATION_MS: 30_000,
  /** Half BullMQ's default: halves the worst-case recovery at one cheap Lua call per 15 s. */
  STALLED_INTERVAL_MS: 15_000,
  /**
   * BullMQ's default of 1 fails an accepted async event on the second crash. Three survives
   * a rolling crash loop while a job that kills every worker that takes it still ends.
   */
  MAX_STALLED_COUNT: 3,
  /** Lease renewals per TTL: one missed renewal still leaves two more before expiry. */
  LEASE_RENEWALS_PER_TTL: 3,
  /** How often the worker records that it is alive, and how long that record counts. */
  HEARTBEAT_INTERVAL_MS: 10_000,
  HEARTBEAT_TTL_MS: 30_000,
  /** How often containers of dead workers are looked for (reliability target: gone in 60 s). */
  ORPHAN_SWEEP_INTERVAL_MS: 30_000,
  /** How often failed async jobs are checked for events left open (async/failed-sweep.ts). */
  FAILED_SWEEP_INTERVAL_MS: 60_000,
  /** Longer than the failed-job listener's tries (about a minute). */
  FAILED_SWEEP_MIN_AGE_MS: 120_000,
  /** The minutely sweeps look this far back (the one at start, as far as the set keeps). */
  FAILED_SWEEP_LOOKBACK_MS: 600_000,
  FAILED_SWEEP_MAX_JOBS: 2000,
  /** Docker's json-file log is a safety net only; the worker captures output itself. */
  CONTAINER_LOG_MAX_SIZE: '1m',
  /** A quiet stdout for this long after a response means its log lines have arrived. */
  LOG_SETTLE_MS: 10,
  /**
   * Upper bound on that wait, so a chatty function cannot hold its log segment open. Docker's
   * attach stream moves a few MB/s here, so megabytes of output can outlast it: the rest then
   * opens the next invocation's log (capped) or is dropped when the segment was already full.
   */
  LOG_SETTLE_MAX_MS: 250,
  /**
   * How long a segment waits for output a runtime said it wrote (its output-bytes header)
   * before it closes without the rest: a Docker attach stream behind a busy host.
   */
  LOG_FENCE_MAX_MS: 5_000,
  /** Retry delays for async jobs that found no free concurrency (Lambda: 1 s up to 5 min). */
  THROTTLE_DELAY_MIN_MS: 1_000,
  THROTTLE_DELAY_MAX_MS: 300_000,
  /** Provisioned concurrency is checked every second: a dead environment is replaced fast. */
  PROVISIONED_RECONCILE_INTERVAL_MS: 1_000,
  /** The provisioning lock outlives a few missed rounds; a dead holder's passes on in 5 s. */
  PROVISIONED_LOCK_TTL_MS: 5_000,
  /** After a failed provisioned start, wait this long before the next try (no restart loop). */
  PROVISIONED_RETRY_DELAY_MS: 5_000,
  /**
   * A worker counts as live for provisioning this long after each round (rounds are 1 s apart).
   * Far shorter than the fleet heartbeat: a dead worker's provisioned share moves to the live
   * ones, and gateways stop claiming its environments, within 5 s; a worker stalled that long
   * loses its share and retires it when it wakes up.
   */
  PROVISIONED_LIVE_TTL_MS: 5_000,
  /**
   * A gateway's claim on an idle provisioned environment whose job has not arrived after this
   * long (the gateway died between claim and queueing) is offered again. A job normally arrives
   * within milliseconds; a late one still runs, on another environment.
   */
  PROVISIONED_CLAIM_TTL_MS: 5_000,
  /**
   * An async attempt sent to another worker's idle provisioned environment: that worker skips
   * the job if it has not taken it by then, and the sender withdraws it and retries the attempt
   * later. The environment is claimed for the job, so it is normally taken within milliseconds;
   * a worker that died since its last liveness mark is noticed here instead of after the
   * function's whole timeout.
   */
  PROVISIONED_REMOTE_PICKUP_MS: 5_000,
  /**
   * Beyond the pick-up window and the function's timeout, how long the sender still waits for
   * the reply: a replacement environment's init (when the claimed one died), log framing and
   * the publish. Past it, the BullMQ result is read as the fallback.
   */
  PROVISIONED_REMOTE_GRACE_MS: 15_000,
  /** Lifecycle (prepare) jobs are cheap Docker look-ups. */
  LIFECYCLE_CONCURRENCY: 4,
  /**
   * A prepare attempt whose Docker and code look-ups have not answered by then fails, to be
   * retried: a stuck engine must not hold a function Pending.
   */
  PREPARE_CHECK_TIMEOUT_MS: 30_000,
  /** Lambda spaces function-error retries of async events 1 minute, then 2 minutes, apart. */
  ASYNC_RETRY_BASE_DELAY_MS: 60_000,
  /** Records outlive Lambda's longest event age (6 h) by days: time to look into a failure. */
  ASYNC_RECORD_TTL_S: 7 * 86_400,
  /** Results kept in a record and sent to destinations: AWS's classic async payload limit. */
  ASYNC_RESULT_LIMIT_BYTES: 256 * 1024,
  /** A retry taken up this early (clock skew between workers) runs rather than waits again. */
  ASYNC_RETRY_EARLY_SLACK_MS: 50,
  /** Webhook destinations: three tries of 5 s each, 0.5 s then 1 s apart (a job slot waits). */
  WEBHOOK_ATTEMPTS: 3,
  WEBHOOK_TIMEOUT_MS: 5_000,
  WEBHOOK_BACKOFF_MS: 500,
});
