/**
 * A sync job placed on a worker's own queue that the worker does not take moves to the shared
 * queue (real Redis, real BullMQ): same job id, no environment named; a job the worker already
 * holds stays where it is. The queue-depth gauge counts what waits on live workers' queues.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import {
  createKeys,
  createReplyCopies,
  directInvokeQueue,
  ProvisionedFleetStore,
  type InvokeJobData,
} from '@lambdock/core';
import { createDirectQueues } from '@lambdock/gateway/direct-queues';
import {
  createBullmqInvocationQueue,
  createInvocationQueues,
} from '@lambdock/gateway/invocation-queue';
import { useRedis } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

describe('placed sync jobs nobody takes (real Redis)', () => {
  const ctx = useRedis();

  function setup() {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const queues = createInvocationQueues(ctx.redis, prefix, () => undefined);
    const direct = createDirectQueues(ctx.redis, prefix);
    const copies = createReplyCopies(ctx.redis, createKeys(prefix));
    const queue = createBullmqInvocationQueue(queues, copies, 2000, {
      placement: {
        covers: () => true,
        claim: async () => ({ workerId: 'w1', environmentId: 'env-1' }),
      },
      queue: (workerId) => direct.get(workerId),
      workers: () => new ProvisionedFleetStore(ctx.redis, prefix).liveWorkers(),
    });
    const close = async (): Promise<void> => {
      await direct.close();
      await Promise.all([queues.sync.close(), queues.async.close(), queues.lifecycle.close()]);
    };
    return { prefix, queues, direct, queue, close };
  }

  const job = (requestId: string): InvokeJobData => ({
    requestId,
    functionName: 'demo',
    qualifier: '1',
    invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo:live',
    payload: '{}',
    logTail: false,
    acceptedAt: Date.now(),
  });

  it('moves an untaken job to the shared queue under the same id, naming no environment', async () => {
    const s = setup();
    try {
      const route = await s.queue.enqueueSync(job('req-untaken'));
      assert.deepEqual(route, { workerId: 'w1' });
      assert.equal(
        (await s.direct.get('w1').getJob('req-untaken'))?.data.provisionedEnvId,
        'env-1',
      );

      assert.deepEqual(await s.queue.redirectUntaken('req-untaken', route), {});
      assert.equal(await s.direct.get('w1').getJob('req-untaken'), undefined);
      const moved = await s.queues.sync.getJob('req-untaken');
      assert.equal(await moved?.getState(), 'waiting');
      assert.equal(moved?.data.provisionedEnvId, undefined);
      assert.equal(moved?.data.functionName, 'demo');
    } finally {
      await s.close();
    }
  });

  it('leaves a job its worker already took where it is', async () => {
    const s = setup();
    let finish: () => void = () => undefined;
    const holding = new Promise<void>((resolve) => (finish = resolve));
    const connection = new Redis(ctx.server.url, { maxRetriesPerRequest: null });
    const worker = new Worker(directInvokeQueue('w1'), () => holding, {
      connection,
      prefix: s.prefix,
    });
    try {
      const route = await s.queue.enqueueSync(job('req-taken'));
      await waitFor('the worker to take the job', 5000, async () => {
        const state = await (await s.direct.get('w1').getJob('req-taken'))?.getState();
        return state === 'active' ? state : undefined;
      });
      assert.deepEqual(await s.queue.redirectUntaken('req-taken', route), { workerId: 'w1' });
      assert.equal(await s.queues.sync.getJob('req-taken'), undefined);
    } finally {
      finish();
      await worker.close();
      connection.disconnect();
      await s.close();
    }
  });

  it("counts the jobs waiting on live workers' own queues in the queue depths", async () => {
    const s = setup();
    try {
      await new ProvisionedFleetStore(ctx.redis, s.prefix).beat('w1', 60_000);
      await s.queue.enqueueSync(job('req-a'));
      await s.queue.enqueueSync(job('req-b'));
      // A queue of a worker that is not live (gone long ago) is not counted.
      await s.direct.get('w-gone').add('invoke', job('req-c'));
      assert.deepEqual(await s.queue.depths(), {
        'invoke-sync': 0,
        'invoke-async': 0,
        lifecycle: 0,
        'invoke-direct': 2,
      });
    } finally {
      await s.close();
    }
  });
});
