/**
 * @module
 * The sync processor as the worker runs it: its stores, its lease settings and its writes
 * shared with BullMQ's completion (one connection, batched per turn under load), and the
 * consumers' settings. Composed here, once, for the worker's main and for the benchmark's
 * no-container ceiling, which runs the same processor with an invoker that answers at once.
 */
import { batchWritesPerTurn, coalesceWrites, type Logger } from '@lambdock/core';
import type { WorkerConfig } from './config.js';
import { WORKER_DEFAULTS } from './defaults.js';
import type { Invoker } from './invoke/invoker.js';
import type { QueueWorkerSettings } from './jobs/queue-workers.js';
import { createSyncProcessor, type SyncProcessor } from './jobs/sync-processor.js';
import type { WorkerMetrics } from './metrics.js';
import type { Stores } from './stores.js';

export interface JobContext {
  metrics: WorkerMetrics;
  logger: Logger;
  /** Keeps background work (replies, log writes) visible to shutdown. */
  track(work: Promise<unknown>): void;
}

export function createSyncJobs(
  config: WorkerConfig,
  stores: Stores,
  invoker: Invoker,
  ctx: JobContext,
): SyncProcessor {
  const { registry, versions, logStore, leases, redis, replies } = stores;
  return createSyncProcessor({
    ...ctx,
    registry,
    versions,
    invoker,
    logStore,
    leases,
    leaseTtlMs: config.leaseTtlMs,
    renewalsPerTtl: WORKER_DEFAULTS.LEASE_RENEWALS_PER_TTL,
    publisher: redis,
    replies,
    coalesce: coalesceWrites(redis),
    coalesceUnderLoad: batchWritesPerTurn(redis),
    flushLogs: () => logStore.flush(),
    now: stores.clock.now,
  });
}

/** The BullMQ consumers' settings from the worker's configuration. */
export function queueWorkerSettings(config: WorkerConfig): QueueWorkerSettings {
  return {
    prefix: config.keyPrefix,
    workerId: config.workerId,
    invokeConcurrency: config.maxEnvironments,
    syncPrefetch: config.syncPrefetch,
    lifecycleConcurrency: WORKER_DEFAULTS.LIFECYCLE_CONCURRENCY,
    lockDurationMs: config.lockDurationMs,
    stalledIntervalMs: config.stalledIntervalMs,
    maxStalledCount: config.maxStalledCount,
  };
}
