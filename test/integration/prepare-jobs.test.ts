/**
 * Prepare jobs on real Redis through the worker's BullMQ consumers: a fault of the host fails the
 * attempt and BullMQ runs the next; a fault that outlasts every attempt fails the function on the
 * last one (InternalError), so it never stays Pending; a fault that passes leaves it Active. An
 * update that fails so leaves an Active function Active.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Queue } from 'bullmq';
import {
  createKeys,
  createLogger,
  FunctionRegistry,
  QUEUES,
  type FunctionRecord,
  type PrepareJobData,
} from '@lambdock/core';
import { createMetrics } from '@lambdock/worker/metrics';
import { createPrepareProcessor } from '@lambdock/worker/prepare-processor';
import { startQueueWorkers } from '@lambdock/worker/queue-workers';
import { functionRecord } from '../helpers/records.js';
import { useRedis } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

type Lookup = (attempt: number) => Promise<{ id: string } | undefined>;

const IMAGE = { id: 'sha256:' + 'a'.repeat(64), entrypoint: [], cmd: [], workingDir: '/var/task' };

describe('prepare jobs (real Redis, BullMQ)', () => {
  const ctx = useRedis();

  /**
   * Prepares an image function, new (Pending) or updated (Active), whose image look-up answers
   * as `lookup` says.
   */
  async function prepare(
    lookup: Lookup,
    attempts: number,
    state: 'Pending' | 'Active' = 'Pending',
  ): Promise<{ record: FunctionRecord; lookups: number }> {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const registry = new FunctionRegistry(ctx.redis, createKeys(prefix));
    const name = 'fn';
    await registry.create(
      functionRecord(name, {
        packageType: 'Image',
        imageUri: 'repo/app:1',
        state,
        ...(state === 'Pending'
          ? { stateReason: 'The function is being created.', stateReasonCode: 'Creating' }
          : {}),
        lastUpdateStatus: 'InProgress',
        generation: 1,
      }),
    );
    let lookups = 0;
    const consumers = startQueueWorkers({
      connection: ctx.redis,
      settings: {
        prefix,
        workerId: 'w1',
        invokeConcurrency: 1,
        syncPrefetch: 0,
        lifecycleConcurrency: 2,
        lockDurationMs: 30_000,
        stalledIntervalMs: 30_000,
        maxStalledCount: 1,
      },
      processors: {
        sync: async () => null,
        async: async () => null,
        prepare: createPrepareProcessor({
          registry,
          images: {
            refFor: (r) => r.imageUri ?? '',
            find: async () => ((await lookup(++lookups)) === undefined ? undefined : IMAGE),
          },
          codeCache: { ensure: async () => '/var/task', ensureLayers: async () => '/opt' },
          checkTimeoutMs: 300,
        }),
      },
      metrics: createMetrics(),
      logger: createLogger({ level: 'fatal', service: 'test' }),
    });
    const producer = new Queue<PrepareJobData>(QUEUES.LIFECYCLE, { connection: ctx.redis, prefix });
    try {
      await producer.add(
        'prepare',
        { functionName: name, generation: 1 },
        { attempts, backoff: { type: 'fixed', delay: 50 } },
      );
      const record = await waitFor('the function settled', 20_000, async () => {
        const current = await registry.get(name);
        return current?.lastUpdateStatus === 'InProgress' ? undefined : current;
      });
      return { record, lookups };
    } finally {
      await consumers.close(false);
      await producer.close();
    }
  }

  const fault = async (): Promise<undefined> => {
    throw new Error('connect ECONNREFUSED /var/run/docker.sock');
  };

  it('fails the function on the last attempt of a fault that lasts, after every attempt', async () => {
    const { record, lookups } = await prepare(fault, 3);
    assert.equal(lookups, 3);
    assert.equal(record.state, 'Failed');
    assert.equal(record.stateReasonCode, 'InternalError');
    assert.equal(record.lastUpdateStatus, 'Failed');
    assert.equal(record.lastUpdateStatusReasonCode, 'InternalError');
    assert.equal(
      record.stateReason,
      'The function could not be prepared: connect ECONNREFUSED /var/run/docker.sock',
    );
  });

  it('makes the function Active when the fault passes before the last attempt', async () => {
    const { record, lookups } = await prepare(
      (attempt) => (attempt < 3 ? fault() : Promise.resolve(IMAGE)),
      3,
    );
    assert.equal(lookups, 3);
    assert.equal(record.state, 'Active');
    assert.equal(record.lastUpdateStatus, 'Successful');
    assert.equal(record.stateReasonCode, undefined);
  });

  it('leaves an updated Active function Active when a lasting fault fails the update', async () => {
    const { record, lookups } = await prepare(fault, 2, 'Active');
    assert.equal(lookups, 2);
    assert.equal(record.state, 'Active');
    assert.equal(record.lastUpdateStatus, 'Failed');
    assert.equal(record.lastUpdateStatusReasonCode, 'InternalError');
  });

  it('counts a look-up that never answers as a fault', async () => {
    const { record, lookups } = await prepare(() => new Promise(() => undefined), 2);
    assert.equal(lookups, 2);
    assert.equal(record.state, 'Failed');
    assert.equal(record.stateReason, 'The function could not be prepared: no answer within 300 ms');
  });
});
