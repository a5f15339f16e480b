/**
 * @module
 * The BullMQ consumers: sync and async invoke queues (as many jobs at once as the most
 * environments this worker runs, plus a few sync jobs taken ahead; jobs beyond free capacity
 * wait inside the pool, sync first), this worker's own direct queue (sync jobs a gateway placed
 * on one of its idle provisioned environments, run by the same processor) and the lifecycle
 * queue. Lock and stall settings decide how fast a dead worker's jobs come back (defaults.ts).
 *
 * The sync queue has one consumer per job it may hold, each taking one job at a time. A BullMQ
 * worker with room for more jobs asks Redis for another one as soon as it has taken one, and
 * starts the first only once that answer is in (BullMQ's loop fetches in sequence): on an idle
 * queue that is a round trip that finds nothing, in the middle of every invocation. A consumer
 * of one job starts its job at once; under load, each finishing job fetches the next in the same
 * command, as before. The cost is a blocking connection per consumer.
 *
 * The consumers take jobs with BullMQ's scripts changed to put the queue's wake-up marker back
 * only while another job waits (quiet-marker.ts): on an idle queue a take no longer wakes a
 * second consumer for nothing.
 */
import {
  QUEUES,
  directInvokeQueue,
  type InvokeJobData,
  type Logger,
  type PrepareJobData,
} from '@lambdock/core';
import { Worker, type Processor, type WorkerOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { WorkerMetrics } from '../metrics.js';
import { quietErrorLog } from './quiet-error-log.js';
import { defineQuietTakeScripts } from './quiet-marker.js';

export interface QueueWorkerSettings {
  prefix: string;
  workerId: string;
  invokeConcurrency: number;
  /** Sync jobs taken beyond invokeConcurrency, waiting in the pool for the next free environment. */
  syncPrefetch: number;
  lifecycleConcurrency: number;
  lockDurationMs: number;
  stalledIntervalMs: number;
  maxStalledCount: number;
}

export interface QueueWorkerDeps {
  /**
   * The connection the BullMQ workers share for their commands (BullMQ duplicates it for each
   * one's blocking reads and leaves it open on close): the worker's own, so a sync job's
   * completion can leave in the same write as its reply.
   */
  connection: Redis;
  settings: QueueWorkerSettings;
  processors: {
    sync: Processor<InvokeJobData>;
    async: Processor<InvokeJobData>;
    prepare: Processor<PrepareJobData>;
  };
  metrics: WorkerMetrics;
  logger: Logger;
}

export interface QueueWorkers {
  /** Every consumer; the sync queue's are several, one job each. */
  readonly all: readonly Worker[];
  /** Stop taking jobs and wait for the running ones to finish. */
  drain(): Promise<void>;
  /** Disconnect; `force` abandons running jobs to stall recovery (another worker re-runs them). */
  close(force: boolean): Promise<void>;
}

function options(deps: QueueWorkerDeps, concurrency: number): WorkerOptions {
  const s = deps.settings;
  return {
    connection: deps.connection,
    prefix: s.prefix,
    name: s.workerId,
    concurrency,
    lockDuration: s.lockDurationMs,
    stalledInterval: s.stalledIntervalMs,
    maxStalledCount: s.maxStalledCount,
    // Results carry up to 6 MB of payload: keep few, briefly (the reply channel is the fast path).
    removeOnComplete: { age: 3600, count: 1000 },
    removeOnFail: { age: 7 * 24 * 3600, count: 10_000 },
  };
}

/** A Redis outage reaches every sync consumer at once: one line for all of them a second. */
const SHARED_ERROR_QUIET_MS = 1_000;

function observe(
  worker: Worker,
  queue: string,
  deps: QueueWorkerDeps,
  onError?: (err: Error) => void,
): Worker {
  const log = deps.logger.child({ queue });
  worker.on('error', onError ?? quietErrorLog(log, 0, Date.now));
  worker.on('failed', (job, err) => log.warn({ err: err.message, jobId: job?.id }, 'job failed'));
  worker.on('stalled', (jobId) => {
    deps.metrics.jobsStalled.inc({ queue });
    log.warn({ jobId }, 'stalled job put back on the queue');
  });
  return worker;
}

export function startQueueWorkers(deps: QueueWorkerDeps): QueueWorkers {
  const { settings, processors } = deps;
  const unchanged = defineQuietTakeScripts(deps.connection);
  if (unchanged.length > 0) {
    deps.logger.warn(
      { scripts: unchanged },
      "BullMQ's take scripts changed: every take puts the wake-up marker back",
    );
  }
  const syncError = quietErrorLog(
    deps.logger.child({ queue: 'sync' }),
    SHARED_ERROR_QUIET_MS,
    Date.now,
  );
  const syncConsumers = Array.from(
    { length: settings.invokeConcurrency + settings.syncPrefetch },
    () =>
      observe(
        new Worker(QUEUES.INVOKE_SYNC, processors.sync, options(deps, 1)),
        'sync',
        deps,
        syncError,
      ),
  );
  const all = [
    ...syncConsumers,
    observe(
      new Worker(QUEUES.INVOKE_ASYNC, processors.async, options(deps, settings.invokeConcurrency)),
      'async',
      deps,
    ),
    observe(
      new Worker(
        directInvokeQueue(settings.workerId),
        processors.sync,
        options(deps, settings.invokeConcurrency),
      ),
      'direct',
      deps,
    ),
    observe(
      new Worker(
        QUEUES.LIFECYCLE,
        processors.prepare,
        options(deps, settings.lifecycleConcurrency),
      ),
      'lifecycle',
      deps,
    ),
  ];
  return {
    all,
    // pause(), not close(): a pending close(false) would swallow a later close(true).
    drain: async () => {
      await Promise.all(all.map((w) => w.pause(false)));
    },
    close: async (force) => {
      await Promise.all(all.map((w) => w.close(force)));
    },
  };
}
