/**
 * The worker's BullMQ consumers on real Redis: a worker takes sync jobs beyond its environments
 * (WORKER_SYNC_PREFETCH), so the next event is in hand when one frees, and async jobs only up
 * to its environments; all of them share the worker's own connection, which stays open when
 * they close. The sync queue has one consumer per job it may hold, each holding one, and a take
 * puts the queue's wake-up marker back only while another job waits.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { Queue } from 'bullmq';
import { createLogger, QUEUES, type InvokeJobData } from '@lambdock/core';
import { createMetrics } from '@lambdock/worker/metrics';
import { startQueueWorkers } from '@lambdock/worker/queue-workers';
import { useRedis } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

describe('queue consumers (real Redis)', () => {
  const ctx = useRedis();

  /**
   * Consumers with two environments and a prefetch of three unless `sizes` says otherwise;
   * `process` takes every job.
   */
  const start = (
    prefix: string,
    process: (job: { id?: string }) => Promise<null>,
    sizes: { invokeConcurrency: number; syncPrefetch: number } = {
      invokeConcurrency: 2,
      syncPrefetch: 3,
    },
  ) =>
    startQueueWorkers({
      connection: ctx.redis,
      settings: {
        prefix,
        workerId: 'w1',
        ...sizes,
        lifecycleConcurrency: 1,
        lockDurationMs: 30_000,
        stalledIntervalMs: 30_000,
        maxStalledCount: 1,
      },
      processors: { sync: process, async: process, prepare: async () => undefined },
      metrics: createMetrics(),
      logger: createLogger({ level: 'fatal', service: 'test' }),
    });

  /** Adds `count` jobs to `queue` and counts how many its processor holds at once. */
  async function heldAtOnce(queue: string, count: number): Promise<number> {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const held = new Set<string>();
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const hold = async (job: { id?: string }): Promise<null> => {
      held.add(job.id ?? '');
      await gate;
      return null;
    };
    const consumers = start(prefix, hold);
    const producer = new Queue<InvokeJobData>(queue, { connection: ctx.redis, prefix });
    try {
      for (let i = 0; i < count; i++) {
        await producer.add('invoke', {} as InvokeJobData, { jobId: `j${i}` });
      }
      // Everything the consumers may take is taken well within this; nothing more arrives.
      await waitFor('two jobs taken', 10_000, async () => (held.size >= 2 ? true : undefined));
      await new Promise((resolve) => setTimeout(resolve, 500));
      return held.size;
    } finally {
      release();
      await consumers.close(false);
      await producer.close();
    }
  }

  it('consumes the sync queue with one consumer per job it may hold, one job each', async () => {
    const consumers = start(`t${randomBytes(4).toString('hex')}`, async () => null);
    try {
      const sync = consumers.all.filter((w) => w.name === QUEUES.INVOKE_SYNC);
      assert.equal(sync.length, 5);
      assert.deepEqual(
        sync.map((w) => w.concurrency),
        [1, 1, 1, 1, 1],
      );
      const async = consumers.all.filter((w) => w.name === QUEUES.INVOKE_ASYNC);
      assert.deepEqual(
        async.map((w) => w.concurrency),
        [2],
      );
    } finally {
      await consumers.close(false);
    }
  });

  it('holds sync jobs up to its environments plus the prefetch, async jobs up to its environments', async () => {
    assert.equal(await heldAtOnce(QUEUES.INVOKE_SYNC, 8), 5);
    assert.equal(await heldAtOnce(QUEUES.INVOKE_ASYNC, 8), 2);
    assert.equal(await ctx.redis.ping(), 'PONG', 'the shared connection stays open');
  });

  /**
   * One sync consumer, idle on the queue's wake-up marker; `jobs` jobs then arrive at once and it
   * takes the first and holds it. Returns whether the marker is there while it does.
   */
  async function markerAfterTake(jobs: number): Promise<boolean> {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    let taken = false;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const consumers = start(
      prefix,
      async () => {
        taken = true;
        await gate;
        return null;
      },
      { invokeConcurrency: 1, syncPrefetch: 0 },
    );
    const producer = new Queue<InvokeJobData>(QUEUES.INVOKE_SYNC, {
      connection: ctx.redis,
      prefix,
    });
    try {
      const [consumer] = consumers.all.filter((w) => w.name === QUEUES.INVOKE_SYNC);
      assert.ok(consumer);
      // Found the queue empty: from here it takes jobs only after the marker wakes it.
      await once(consumer, 'drained');
      await producer.addBulk(
        Array.from({ length: jobs }, (_, i) => ({
          name: 'invoke',
          data: {} as InvokeJobData,
          opts: { jobId: `j${i}` },
        })),
      );
      await waitFor('the job taken', 10_000, async () => (taken ? true : undefined));
      return (await ctx.redis.zcard(`${prefix}:${QUEUES.INVOKE_SYNC}:marker`)) > 0;
    } finally {
      release();
      await consumers.close(false);
      await producer.close();
    }
  }

  it('puts the wake-up marker back after a take only while another job waits', async () => {
    assert.equal(await markerAfterTake(1), false, 'the last job taken: no other consumer wakes');
    assert.equal(await markerAfterTake(2), true, 'a job still waits: another consumer wakes');
  });
});
