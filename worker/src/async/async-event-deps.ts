/**
 * @module
 * The Redis- and BullMQ-backed AsyncEventDeps the worker's async processor runs with: records,
 * event invoke configs, lambdock queues, and the senders to functions (an async job on the
 * invoke queue), queues and webhooks.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  ASYNC_JOB_OPTIONS,
  EventInvokeConfigStore,
  InvocationRecordStore,
  JOB_NAMES,
  MessageQueueStore,
  QUEUES,
  createAsyncKeys,
  type ArnContext,
  type FunctionRecord,
  type InvokeJobData,
  type Logger,
} from '@lambdock/core';
import { WORKER_DEFAULTS } from '../defaults.js';
import type { AsyncEventDeps } from '../jobs/async-processor.js';
import { createDestinationSender } from './senders.js';
import { createWebhookPoster } from './webhook.js';

export interface AsyncEventOptions {
  redis: Redis;
  prefix: string;
  ctx: ArnContext;
  registry: {
    get(name: string): Promise<FunctionRecord | undefined>;
    getReservedConcurrency(name: string): Promise<number | undefined>;
  };
  retryBaseDelayMs: number;
  recordTtlS: number;
  logger: Logger;
  /** When destination functions' events are accepted. @defaultValue Date.now */
  now?: () => number;
}

export function createAsyncEventDeps(options: AsyncEventOptions): AsyncEventDeps {
  const { redis, prefix, ctx, registry } = options;
  const keys = createAsyncKeys(prefix);
  const invokeQueue = new Queue<InvokeJobData>(QUEUES.INVOKE_ASYNC, { connection: redis, prefix });
  invokeQueue.on('error', (err: Error) =>
    options.logger.warn({ err: err.message }, 'destination queue error'),
  );
  const send = createDestinationSender({
    async enqueueAsync(job) {
      await invokeQueue.add(JOB_NAMES.INVOKE, job, { ...ASYNC_JOB_OPTIONS, jobId: job.requestId });
    },
    functionExists: async (name) => (await registry.get(name)) !== undefined,
    queues: new MessageQueueStore(redis, keys),
    post: createWebhookPoster({
      attempts: WORKER_DEFAULTS.WEBHOOK_ATTEMPTS,
      timeoutMs: WORKER_DEFAULTS.WEBHOOK_TIMEOUT_MS,
      backoffMs: WORKER_DEFAULTS.WEBHOOK_BACKOFF_MS,
    }),
    ctx,
    now: options.now ?? Date.now,
  });
  return {
    records: new InvocationRecordStore(redis, keys, options.recordTtlS * 1000),
    configs: new EventInvokeConfigStore(redis, keys),
    send,
    payloadContext: ctx,
    reservedConcurrency: (name) => registry.getReservedConcurrency(name),
    retryBaseDelayMs: options.retryBaseDelayMs,
    resultLimitBytes: WORKER_DEFAULTS.ASYNC_RESULT_LIMIT_BYTES,
  };
}
