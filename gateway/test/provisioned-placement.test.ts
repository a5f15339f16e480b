import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger, type InvokeJobData, type ProvisionedClaim } from '@lambdock/core';
import {
  createBullmqInvocationQueue,
  type InvocationQueues,
} from '../src/adapters/bullmq-invocation-queue.js';
import type { DirectQueue } from '../src/adapters/direct-queues.js';
import { createProvisionedPlacement } from '../src/adapters/provisioned-placement.js';

interface Added {
  queue: string;
  data: InvokeJobData;
  jobId: unknown;
}

function fakeQueue(name: string, added: Added[]): unknown {
  return {
    name,
    add: async (_job: string, data: InvokeJobData, opts: { jobId: unknown }) =>
      void added.push({ queue: name, data, jobId: opts.jobId }),
    getJob: async () => ({ getState: async () => 'active' }),
  };
}

const noCopies = { read: async () => undefined };

function setup(claims: Array<ProvisionedClaim | undefined>) {
  const added: Added[] = [];
  const claimed: string[] = [];
  const queues = {
    sync: fakeQueue('invoke-sync', added),
    async: fakeQueue('invoke-async', added),
    lifecycle: fakeQueue('lifecycle', added),
  } as unknown as InvocationQueues;
  const looked: string[] = [];
  const queue = createBullmqInvocationQueue(queues, noCopies, 100, {
    placement: {
      covers: (_name, version) => version === '3',
      claim: async (name, version) => {
        claimed.push(`${name}:${version}`);
        return claims.shift();
      },
    },
    queue: (workerId) => {
      looked.push(workerId);
      return fakeQueue(`invoke-direct.${workerId}`, added) as DirectQueue;
    },
  });
  return { queue, added, claimed, looked };
}

const job = (qualifier: string): InvokeJobData => ({
  requestId: 'req-1',
  functionName: 'demo',
  qualifier,
  invokedArn: 'arn',
  payload: '{}',
  logTail: false,
  acceptedAt: 0,
});

describe('sync placement on provisioned environments', () => {
  it('queues to the worker holding the claimed environment, naming it', async () => {
    const s = setup([{ workerId: 'w2', environmentId: 'env-a' }]);
    const route = await s.queue.enqueueSync(job('3'));
    assert.deepEqual(route, { workerId: 'w2' });
    assert.deepEqual(s.added, [
      {
        queue: 'invoke-direct.w2',
        data: { ...job('3'), provisionedEnvId: 'env-a' },
        jobId: 'req-1',
      },
    ]);
    assert.deepEqual(await s.queue.settleSync('req-1', route), { state: 'running' });
    assert.deepEqual(s.looked, ['w2', 'w2'], 'the fallback looks in the same queue');
  });

  it('spills over to the shared queue when no environment is idle', async () => {
    const s = setup([undefined]);
    assert.deepEqual(await s.queue.enqueueSync(job('3')), {});
    assert.deepEqual(
      s.added.map((a) => a.queue),
      ['invoke-sync'],
    );
    assert.equal(s.added[0]?.data.provisionedEnvId, undefined);
  });

  it('asks nothing for a version without provisioned concurrency', async () => {
    const s = setup([{ workerId: 'w2', environmentId: 'env-a' }]);
    assert.deepEqual(await s.queue.enqueueSync(job('$LATEST')), {});
    assert.deepEqual(s.claimed, []);
    assert.deepEqual(
      s.added.map((a) => a.queue),
      ['invoke-sync'],
    );
  });
});

describe('createProvisionedPlacement', () => {
  const flush = () => new Promise((resolve) => setImmediate(resolve));

  it('claims only for versions with provisioned concurrency: others cost no Redis call', async () => {
    const calls: string[] = [];
    const placement = createProvisionedPlacement({
      store: {
        targets: async () => new Set(['demo:3']),
        claim: async (key) => {
          calls.push(key);
          return { workerId: 'w1', environmentId: 'e1' };
        },
      },
      refreshMs: 60_000,
      timeoutMs: 100,
      logger: createSilentLogger(),
    });
    await flush();
    assert.deepEqual(await placement.claim('demo', '3'), { workerId: 'w1', environmentId: 'e1' });
    assert.deepEqual([placement.covers('demo', '3'), placement.covers('demo', '4')], [true, false]);
    assert.equal(await placement.claim('demo', '4'), undefined);
    assert.equal(await placement.claim('demo', '$LATEST'), undefined);
    assert.equal(await placement.claim('other', '3'), undefined);
    assert.deepEqual(calls, ['demo:3']);
    placement.close();
  });

  it('keeps the last targets when a refresh fails', async () => {
    let fail = false;
    const calls: string[] = [];
    const placement = createProvisionedPlacement({
      store: {
        targets: async () => {
          if (fail) throw new Error('down');
          return new Set(['demo:3']);
        },
        claim: async (key) => void calls.push(key),
      },
      refreshMs: 5,
      timeoutMs: 100,
      logger: createSilentLogger(),
    });
    await flush();
    fail = true;
    await new Promise((resolve) => setTimeout(resolve, 30));
    await placement.claim('demo', '3');
    assert.deepEqual(calls, ['demo:3']);
    placement.close();
  });
});
