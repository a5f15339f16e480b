/**
 * @module
 * The worker's BullMQ consumers and what they run with: the sync and async processors, the
 * prepare jobs, async attempts placed on other workers' provisioned environments, and the
 * async queue's failed jobs (listened for, and swept for events left open).
 */
import { Queue } from 'bullmq';
import { createRedis, QUEUES, type Logger } from '@lambdock/core';
import { createAsyncEventDeps } from './async/async-event-deps.js';
import { watchFailedEvents } from './async/failed-events.js';
import { sweepFailedEvents } from './async/failed-sweep.js';
import type { CodeCache } from './code/code-cache.js';
import type { WorkerConfig } from './config.js';
import type { ImageResolver } from './containers/images.js';
import { WORKER_DEFAULTS } from './defaults.js';
import type { EnvironmentPool } from './invoke/environment-pool.js';
import type { Invoker } from './invoke/invoker.js';
import { createAsyncProcessor } from './jobs/async-processor.js';
import { createPrepareProcessor } from './jobs/prepare-processor.js';
import { startQueueWorkers, type QueueWorkers } from './jobs/queue-workers.js';
import type { WorkerMetrics } from './metrics.js';
import { createAsyncPlacement, type ClosablePlacement } from './provisioned/async-placement.js';
import type { Stores } from './stores.js';
import { createSyncJobs, queueWorkerSettings } from './sync-jobs.js';

export interface Execution {
  images: ImageResolver;
  codeCache: CodeCache;
  pool: EnvironmentPool;
  invoker: Invoker;
}

/**
 * Async attempts of provisioned versions run on an idle provisioned environment of another
 * worker when none is idle here; replies come back on this worker's own channel, on a
 * connection of its own (a subscribed connection takes no other commands).
 */
function placeAsync(
  config: WorkerConfig,
  stores: Stores,
  execution: Execution,
  logger: Logger,
  metrics: WorkerMetrics,
): ClosablePlacement {
  const name = `lambdock-worker-${config.workerId}-replies`;
  const subscriber = createRedis(config.redisUrl, 'subscriber', name);
  subscriber.on('error', (err) =>
    logger.warn({ err: err.message, connection: name }, 'redis error'),
  );
  return createAsyncPlacement({
    redis: stores.redis,
    subscriber,
    prefix: config.keyPrefix,
    workerId: config.workerId,
    replyChannel: stores.keys.workerReplyChannel(config.workerId),
    pool: execution.pool,
    offers: stores.offers,
    copies: stores.copies,
    pickupMs: WORKER_DEFAULTS.PROVISIONED_REMOTE_PICKUP_MS,
    graceMs: WORKER_DEFAULTS.PROVISIONED_REMOTE_GRACE_MS,
    metrics,
    logger: logger.child({ component: 'provisioned' }),
    now: stores.clock.now,
  });
}

export function startConsumers(
  config: WorkerConfig,
  stores: Stores,
  execution: Execution,
  logger: Logger,
  metrics: WorkerMetrics,
): {
  queues: QueueWorkers;
  background: Set<Promise<unknown>>;
  /** Without a lookback, everything the failed set keeps. */
  sweepFailed: (lookbackMs?: number) => Promise<number>;
} {
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  const { registry, versions, logStore, leases, redis } = stores;
  const common = {
    registry,
    versions,
    invoker: execution.invoker,
    logStore,
    metrics,
    logger,
    track,
    leaseTtlMs: config.leaseTtlMs,
    renewalsPerTtl: WORKER_DEFAULTS.LEASE_RENEWALS_PER_TTL,
  };
  const events = createAsyncEventDeps({
    redis,
    prefix: config.keyPrefix,
    ctx: config,
    registry,
    retryBaseDelayMs: config.asyncRetryBaseDelayMs,
    recordTtlS: config.asyncRecordTtlS,
    logger,
    now: stores.clock.now,
  });
  const placement = placeAsync(config, stores, execution, logger, metrics);
  const consumers = startQueueWorkers({
    // The stores' connection: a job's completion then shares a write with its reply.
    connection: redis,
    settings: queueWorkerSettings(config),
    processors: {
      sync: createSyncJobs(config, stores, execution.invoker, { metrics, logger, track }),
      async: createAsyncProcessor({ ...common, leases, events, placement, now: stores.clock.now }),
      prepare: createPrepareProcessor({
        registry,
        images: execution.images,
        codeCache: execution.codeCache,
        checkTimeoutMs: WORKER_DEFAULTS.PREPARE_CHECK_TIMEOUT_MS,
      }),
    },
    metrics,
    logger,
  });
  // The async queue's failed set, swept for events whose ending the listener could not make.
  const failedJobs = new Queue(QUEUES.INVOKE_ASYNC, {
    connection: redis,
    prefix: config.keyPrefix,
  });
  // Remote attempts end with the consumers: a forced close leaves them to stall recovery.
  const queues: QueueWorkers = {
    ...consumers,
    close: async (force) => {
      await consumers.close(force);
      await placement.close();
      await failedJobs.close();
    },
  };
  const failedDeps = { ...events, registry, metrics, logger, now: stores.clock.now, track };
  const asyncWorker = queues.all.find((w) => w.name === QUEUES.INVOKE_ASYNC);
  if (asyncWorker !== undefined) watchFailedEvents(asyncWorker, failedDeps);
  const sweepFailed = (lookbackMs?: number) =>
    sweepFailedEvents({
      ...failedDeps,
      queue: failedJobs,
      minAgeMs: WORKER_DEFAULTS.FAILED_SWEEP_MIN_AGE_MS,
      maxJobs: WORKER_DEFAULTS.FAILED_SWEEP_MAX_JOBS,
      ...(lookbackMs === undefined ? {} : { lookbackMs }),
    });
  return { queues, background, sweepFailed };
}
