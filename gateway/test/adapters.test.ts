import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import {
  AppError,
  ERRORS,
  createSilentLogger,
  encodeReply,
  isAppError,
  type InvokeJobData,
  type Reply,
  type ReplyCopies,
} from '@lambdock/core';
import {
  createBullmqInvocationQueue,
  type InvocationQueues,
} from '../src/adapters/bullmq-invocation-queue.js';
import { failFast, guardRedis } from '../src/adapters/fail-fast.js';
import { createRedisReplyWaiter } from '../src/adapters/redis-reply-waiter.js';

const is503 = (err: unknown): boolean =>
  isAppError(err) && err.code === ERRORS.SERVICE_UNAVAILABLE.code;

describe('failFast', () => {
  it('passes results and AppErrors through', async () => {
    assert.equal(await failFast(Promise.resolve(7), 100), 7);
    const appErr = new AppError(ERRORS.FUNCTION_EXISTS, 'taken');
    await assert.rejects(failFast(Promise.reject(appErr), 100), (err: unknown) => err === appErr);
  });

  it('turns a Redis failure into 503 ServiceException', async () => {
    await assert.rejects(failFast(Promise.reject(new Error("Stream isn't writeable")), 100), is503);
  });

  it('gives up on a Redis that does not answer', async () => {
    const started = Date.now();
    await assert.rejects(failFast(new Promise(() => undefined), 50), is503);
    assert.ok(Date.now() - started < 1000);
  });

  it('guards every async method of an object', async () => {
    const guarded = guardRedis(
      { ok: async () => 1, broken: async () => Promise.reject(new Error('down')), sync: () => 2 },
      100,
    );
    assert.equal(await guarded.ok(), 1);
    assert.equal(guarded.sync(), 2);
    await assert.rejects(guarded.broken(), is503);
  });
});

class FakeSubscriber extends EventEmitter {
  readonly channels: string[] = [];
  async subscribe(channel: string): Promise<number> {
    this.channels.push(channel);
    return 1;
  }
  async unsubscribe(): Promise<number> {
    return 0;
  }
  publish(channel: string, frame: Buffer): void {
    this.emit('messageBuffer', Buffer.from(channel), frame);
  }
}

describe('createRedisReplyWaiter', () => {
  const header = (requestId: string) => ({
    requestId,
    outcome: 'success' as const,
    executedVersion: '$LATEST',
  });

  function setup() {
    const sub = new FakeSubscriber();
    const waiter = createRedisReplyWaiter(
      sub as unknown as Redis,
      'p:reply:gw1',
      createSilentLogger(),
    );
    return { sub, waiter };
  }

  it('subscribes once to its own channel and delivers the reply of each request', async () => {
    const { sub, waiter } = setup();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(sub.channels, ['p:reply:gw1']);
    assert.equal(waiter.isSubscribed(), true);
    const pending = waiter.wait('r1', 1000);
    sub.publish('p:reply:other', encodeReply(header('r1'), Buffer.from('wrong')));
    sub.publish('p:reply:gw1', Buffer.from([1, 2]));
    sub.publish('p:reply:gw1', encodeReply(header('r1'), Buffer.from('"ok"')));
    const reply = await pending.reply;
    assert.equal(reply?.payload.toString(), '"ok"');
    assert.equal(waiter.pending(), 0);
  });

  it('resolves undefined on timeout and on cancel, never rejects', async () => {
    const { waiter } = setup();
    assert.equal(await waiter.wait('r2', 10).reply, undefined);
    const pending = waiter.wait('r3', 10_000);
    pending.cancel();
    assert.equal(await pending.reply, undefined);
    assert.equal(waiter.pending(), 0);
  });

  it('settles everyone on close', async () => {
    const { waiter } = setup();
    const pending = waiter.wait('r4', 10_000);
    await waiter.close();
    assert.equal(await pending.reply, undefined);
  });
});

function fakeJob(state: string, extra: Record<string, unknown> = {}) {
  return {
    getState: async () => state,
    remove: async () => undefined,
    returnvalue: undefined,
    failedReason: '',
    ...extra,
  };
}

function fakeQueues(overrides: { add?: () => Promise<unknown>; job?: unknown } = {}) {
  const added: Array<{ name: string; data: unknown; opts: Record<string, unknown> }> = [];
  const make = (name: string): unknown => ({
    name,
    add: async (jobName: string, data: unknown, opts: Record<string, unknown>) => {
      added.push({ name: `${name}/${jobName}`, data, opts });
      return overrides.add ? overrides.add() : {};
    },
    getJob: async () => overrides.job,
    getJobCounts: async () => ({ waiting: 2, prioritized: 1, delayed: 0 }),
  });
  const queues = {
    sync: make('invoke-sync'),
    async: make('invoke-async'),
    lifecycle: make('lifecycle'),
  } as unknown as InvocationQueues;
  return { queues, added };
}

/** Reply copies holding `kept` for req-1 (none when undefined). */
function copiesOf(kept?: Reply): ReplyCopies {
  return { read: async (id) => (id === 'req-1' ? kept : undefined) };
}

const copies = copiesOf();

const job: InvokeJobData = {
  requestId: 'req-1',
  functionName: 'demo',
  qualifier: '$LATEST',
  invokedArn: 'arn',
  payload: '{}',
  logTail: false,
  acceptedAt: 0,
};

describe('createBullmqInvocationQueue', () => {
  it('adds sync and async jobs under the request id with their retention', async () => {
    const { queues, added } = fakeQueues();
    const queue = createBullmqInvocationQueue(queues, copies, 100);
    await queue.enqueueSync(job);
    await queue.enqueueAsync(job);
    await queue.enqueuePrepare({ functionName: 'demo', generation: 2 });
    assert.deepEqual(added[0], {
      name: 'invoke-sync/invoke',
      data: job,
      opts: {
        attempts: 1,
        removeOnComplete: true,
        removeOnFail: { age: 600 },
        jobId: 'req-1',
      },
    });
    assert.deepEqual(added[1]?.opts, {
      // BullMQ's attempts cover the worker's own faults, not the function's retries.
      attempts: 4,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 3600 },
      removeOnFail: { age: 86_400 },
      jobId: 'req-1',
    });
    assert.equal(added[2]?.name, 'lifecycle/prepare');
    assert.deepEqual(added[2]?.data, { functionName: 'demo', generation: 2 });
  });

  it('answers 503 when Redis does not take the job in time', async () => {
    const { queues } = fakeQueues({ add: () => new Promise(() => undefined) });
    await assert.rejects(createBullmqInvocationQueue(queues, copies, 30).enqueueAsync(job), is503);
  });

  it('sums waiting jobs per queue', async () => {
    const { queues } = fakeQueues();
    assert.deepEqual(await createBullmqInvocationQueue(queues, copies, 100).depths(), {
      'invoke-sync': 3,
      'invoke-async': 3,
      lifecycle: 3,
    });
  });

  const reply: Reply = {
    header: { requestId: 'req-1', outcome: 'success', executedVersion: '$LATEST' },
    payload: Buffer.from('null'),
  };
  const fates: Array<[string, unknown, unknown, Reply?]> = [
    ['a finished job (removed) by its copy', undefined, { state: 'completed', reply }, reply],
    [
      'a finished job still kept (older workers) by its copy',
      fakeJob('completed'),
      { state: 'completed', reply },
      reply,
    ],
    ['a finished job without a copy as missing', fakeJob('completed'), { state: 'missing' }],
    [
      'a failed job',
      fakeJob('failed', { failedReason: 'boom' }),
      { state: 'failed', reason: 'boom' },
    ],
    ['a running job', fakeJob('active'), { state: 'running' }],
    ['a waiting job (withdrawn)', fakeJob('waiting'), { state: 'withdrawn' }],
    [
      'a job locked meanwhile',
      fakeJob('waiting', { remove: async () => Promise.reject(new Error('locked')) }),
      { state: 'running' },
    ],
    ['a missing job', undefined, { state: 'missing' }],
    [
      'a running job by its state, whatever is kept',
      fakeJob('active'),
      { state: 'running' },
      reply,
    ],
  ];
  for (const [label, fake, expected, kept] of fates) {
    it(`settles ${label}`, async () => {
      const { queues } = fakeQueues({ job: fake });
      assert.deepEqual(
        await createBullmqInvocationQueue(queues, copiesOf(kept), 100).settleSync('req-1'),
        expected,
      );
    });
  }
});

describe('async job look-up', () => {
  const states: Array<[string, unknown]> = [
    ['waiting', { state: 'waiting', job }],
    ['prioritized', { state: 'waiting', job }],
    ['delayed', { state: 'delayed', job }],
    ['active', { state: 'active', job }],
    ['completed', undefined],
    ['failed', undefined],
  ];
  for (const [state, expected] of states) {
    it(`reports a ${state} async job as ${expected === undefined ? 'gone' : 'pending'}`, async () => {
      const { queues } = fakeQueues({ job: fakeJob(state, { data: job }) });
      assert.deepEqual(
        await createBullmqInvocationQueue(queues, copies, 100).asyncJob('req-1'),
        expected,
      );
    });
  }

  it('reports a job BullMQ does not hold as gone', async () => {
    const { queues } = fakeQueues({ job: undefined });
    assert.equal(
      await createBullmqInvocationQueue(queues, copies, 100).asyncJob('req-1'),
      undefined,
    );
  });
});
