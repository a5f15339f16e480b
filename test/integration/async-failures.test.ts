/**
 * An async event whose handling in the worker throws, on real Redis and BullMQ: the job is
 * tried again 1, 2 and 4 s later (ASYNC_JOB_OPTIONS' attempts, not the function's retries), and an
 * event that throws on every attempt ends failed, with its dead-letter message, instead of
 * staying open; and one whose job failed with nobody to end it is ended by the failed-set sweep.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  ASYNC_JOB_OPTIONS,
  InvocationRecordStore,
  MessageQueueStore,
  QUEUES,
  createAsyncKeys,
  createLogger,
  type FunctionRecord,
  type InvokeJobData,
} from '@lambdock/core';
import { createAsyncEventDeps } from '@lambdock/worker/async-event-deps';
import { watchFailedEvents, type FailedEventDeps } from '@lambdock/worker/failed-events';
import { sweepFailedEvents } from '@lambdock/worker/failed-sweep';
import { createMetrics } from '@lambdock/worker/metrics';
import { startQueueWorkers, type QueueWorkers } from '@lambdock/worker/queue-workers';
import { useRedis } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

const CTX = { region: 'us-east-1', accountId: '000000000000' };
const DLQ = `arn:aws:sqs:${CTX.region}:${CTX.accountId}:failures`;

function event(requestId: string): InvokeJobData {
  return {
    requestId,
    functionName: 'demo',
    qualifier: '$LATEST',
    invokedArn: `arn:aws:lambda:${CTX.region}:${CTX.accountId}:function:demo`,
    payload: '{}',
    logTail: false,
    acceptedAt: Date.now(),
  };
}

interface Harness {
  /** The worker's failed-event deps, on this harness's prefix. */
  deps: FailedEventDeps;
  consumers: QueueWorkers;
  queue: Queue<InvokeJobData>;
  records: InvocationRecordStore;
  /** The dead letters stored in the lambdock queue `failures`. */
  letters(): Promise<string[]>;
  close(): Promise<void>;
}

/** Real consumers on their own prefix, `process` taking every async job; a listener if asked. */
function harness(
  redis: Redis,
  process: (job: { data: InvokeJobData }) => Promise<null>,
  listen: boolean,
): Harness {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const logger = createLogger({ level: 'fatal', service: 'test' });
  const metrics = createMetrics();
  const registry = {
    get: async () => ({ name: 'demo', deadLetterTargetArn: DLQ }) as unknown as FunctionRecord,
    getReservedConcurrency: async () => undefined,
  };
  const events = createAsyncEventDeps({
    redis,
    prefix,
    ctx: CTX,
    registry,
    retryBaseDelayMs: 1000,
    recordTtlS: 600,
    logger,
  });
  const deps: FailedEventDeps = { ...events, registry, metrics, logger, now: Date.now };
  const consumers = startQueueWorkers({
    connection: redis,
    settings: {
      prefix,
      workerId: 'w1',
      invokeConcurrency: 2,
      syncPrefetch: 0,
      lifecycleConcurrency: 1,
      lockDurationMs: 30_000,
      stalledIntervalMs: 30_000,
      maxStalledCount: 1,
    },
    processors: { sync: async () => null, async: process, prepare: async () => undefined },
    metrics,
    logger,
  });
  const asyncWorker = consumers.all.find((w) => w.name === QUEUES.INVOKE_ASYNC);
  assert.ok(asyncWorker);
  if (listen) watchFailedEvents(asyncWorker, deps);
  const queue = new Queue<InvokeJobData>(QUEUES.INVOKE_ASYNC, { connection: redis, prefix });
  const keys = createAsyncKeys(prefix);
  return {
    deps,
    consumers,
    queue,
    records: new InvocationRecordStore(redis, keys, 600_000),
    letters: async () =>
      (await new MessageQueueStore(redis, keys).messages('failures', 10)).messages.map(
        (m) => m.Source.RequestId,
      ),
    close: async () => {
      await consumers.close(false);
      await queue.close();
    },
  };
}

describe('async events whose handling throws (real Redis)', () => {
  const ctx = useRedis();

  it('tries the job again, then ends an event that failed every attempt with its dead letter', async () => {
    // 'flaky' throws on its first two tries, 'broken' on every one.
    const tries = new Map<string, number[]>();
    const process = async (job: { data: InvokeJobData }): Promise<null> => {
      const { requestId } = job.data;
      const at = [...(tries.get(requestId) ?? []), Date.now()];
      tries.set(requestId, at);
      if (requestId === 'broken' || at.length <= 2) throw new Error(`fault ${at.length}`);
      return null;
    };
    const h = harness(ctx.redis, process, true);
    try {
      for (const id of ['flaky', 'broken']) {
        await h.queue.add('invoke', event(id), { ...ASYNC_JOB_OPTIONS, jobId: id });
      }
      const ended = await waitFor('the broken event ended', 20_000, async () => {
        const r = await h.records.get('broken');
        return r?.Status === 'failed' ? r : undefined;
      });
      assert.equal(ended.Condition, 'RetriesExhausted');
      assert.deepEqual(ended.Error, {
        errorType: 'LDK_ERR_ASYNC_FAILED',
        errorMessage: 'The platform failed while handling this event; it was not tried again.',
      });
      assert.equal(tries.get('broken')?.length, ASYNC_JOB_OPTIONS.attempts);
      // Exponential backoff from 1 s: 1, 2 and 4 s between tries.
      const at = tries.get('broken') ?? [];
      const gaps = at.slice(1).map((t, i) => t - (at[i] ?? t));
      gaps.forEach((gap, i) => assert.ok(gap >= 1000 * 2 ** i - 50, `gap ${i}: ${gap} ms`));
      assert.deepEqual(await h.letters(), ['broken']);
      // The flaky one completed on its third try; BullMQ never failed it for good.
      assert.equal(tries.get('flaky')?.length, 3);
      assert.equal(await (await h.queue.getJob('flaky'))?.getState(), 'completed');
      assert.equal(await h.records.get('flaky'), undefined);
    } finally {
      await h.close();
    }
  });

  it('sweeps the failed set for events nobody ended, once, and leaves recent failures to the listener', async () => {
    // No listener: as if the worker that failed the job stopped before it could end the event.
    const h = harness(
      ctx.redis,
      async () => {
        throw new Error('fault');
      },
      false,
    );
    const sweep = (minAgeMs: number, more: { lookbackMs?: number; wallNow?: () => number } = {}) =>
      sweepFailedEvents({ ...h.deps, queue: h.queue, minAgeMs, maxJobs: 2000, ...more });
    try {
      await h.queue.add('invoke', event('orphan'), { jobId: 'orphan', removeOnFail: { age: 600 } });
      await waitFor('the job failed for good', 10_000, async () =>
        (await h.queue.getJobState('orphan')) === 'failed' ? true : undefined,
      );
      assert.equal(await h.records.get('orphan'), undefined);
      // Too recent: still the listener's to end.
      assert.equal(await sweep(60_000), 0);
      // Seen an hour later by a sweep looking ten minutes back: out of its reach.
      const anHourOn = () => Date.now() + 3_600_000;
      assert.equal(await sweep(0, { lookbackMs: 600_000, wallNow: anHourOn }), 0);
      assert.equal(await h.records.get('orphan'), undefined);
      assert.equal(await sweep(0), 1);
      const ended = await h.records.get('orphan');
      assert.deepEqual(
        [ended?.Status, (ended?.Error as { errorType?: string })?.errorType],
        ['failed', 'LDK_ERR_ASYNC_FAILED'],
      );
      assert.deepEqual(await h.letters(), ['orphan']);
      // Ended: the next sweep leaves it.
      assert.equal(await sweep(0), 0);
    } finally {
      await h.close();
    }
  });
});
