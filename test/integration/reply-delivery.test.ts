/**
 * A sync reply's delivery against a real Redis: the lease released, the copy kept and the reply
 * published as one command, in that order; a copy Redis refuses does not hold back the reply.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  ConcurrencyLeases,
  REPLY_COPY_MARGIN_MS,
  createKeys,
  createReplyCopies,
  createReplyDelivery,
  encodeReply,
} from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

describe('reply delivery (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let listener: Redis;

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    listener = new Redis(server.url);
  });

  after(async () => {
    redis?.disconnect();
    listener?.disconnect();
    await server?.stop();
  });

  function fresh() {
    const keys = createKeys(`t${randomBytes(4).toString('hex')}`);
    const leases = new ConcurrencyLeases(redis, keys, 10, 30_000);
    return {
      keys,
      leases,
      copies: createReplyCopies(redis, keys),
      delivery: createReplyDelivery(redis, keys, leases),
      channel: `${keys.replyCopy('x')}:channel`,
    };
  }

  const frame = (requestId: string) =>
    encodeReply({ requestId, outcome: 'success', executedVersion: '$LATEST' }, Buffer.from('"ok"'));

  /** The next message on `channel`, and what Redis held at the moment it arrived. */
  function nextMessage<T>(channel: string, look: () => Promise<T>) {
    return new Promise<{ message: Buffer; seen: T }>((resolve, reject) => {
      listener.once('messageBuffer', (_from: Buffer, message: Buffer) => {
        look().then((seen) => resolve({ message, seen }), reject);
      });
    }).finally(() => listener.unsubscribe(channel));
  }

  it('releases the lease and keeps the copy before the reply reaches its subscriber', async () => {
    const { keys, leases, copies, delivery, channel } = fresh();
    assert.deepEqual(await leases.acquire('fn', 'L1'), { ok: true });
    await listener.subscribe(channel);
    const received = nextMessage(channel, async () => ({
      inFlight: await leases.inFlight('fn'),
      copy: await copies.read('job-1'),
    }));
    const deadline = Date.now() + 20_000;
    const sent = frame('req-1');
    const answer = await delivery.deliver({
      channel,
      jobId: 'job-1',
      frame: sent,
      deadline,
      lease: { functionName: 'fn', leaseId: 'L1' },
    });
    assert.deepEqual(answer, { copied: true });
    const { message, seen } = await received;
    assert.deepEqual(message, sent);
    assert.equal(seen.inFlight, 0, 'the lease was gone when the reply arrived');
    assert.equal(seen.copy?.header.requestId, 'req-1', 'the copy was there when the reply arrived');
    assert.equal(await redis.zcard(keys.unreservedLeases), 0);
    const ttl = await redis.pttl(keys.replyCopy('job-1'));
    assert.ok(
      ttl > REPLY_COPY_MARGIN_MS + 15_000 && ttl <= REPLY_COPY_MARGIN_MS + 20_000,
      `${ttl}`,
    );
  });

  it('without a lease, keeps the copy and publishes', async () => {
    const { keys, copies, delivery, channel } = fresh();
    const answer = await delivery.deliver({
      channel,
      jobId: 'job-2',
      frame: frame('req-2'),
      deadline: undefined,
    });
    assert.deepEqual(answer, { copied: true });
    assert.equal((await copies.read('job-2'))?.header.requestId, 'req-2');
    const ttl = await redis.pttl(keys.replyCopy('job-2'));
    assert.ok(ttl > 55_000 && ttl <= 60_000, `a job without a deadline: ${ttl}`);
  });

  /**
   * Runs `work` while Redis refuses every command that adds data (out of memory), then puts
   * back the limit and the policy it had (a `REDIS_URL` server is not ours).
   */
  async function outOfMemory<T>(work: () => Promise<T>): Promise<T> {
    const [, limit = '0'] = (await redis.config('GET', 'maxmemory')) as string[];
    const [, policy = 'noeviction'] = (await redis.config('GET', 'maxmemory-policy')) as string[];
    await redis.config('SET', 'maxmemory-policy', 'noeviction');
    await redis.config('SET', 'maxmemory', '1');
    try {
      return await work();
    } finally {
      await redis.config('SET', 'maxmemory', limit);
      await redis.config('SET', 'maxmemory-policy', policy);
    }
  }

  it('still publishes when Redis refuses the copy (out of memory)', async () => {
    const { copies, delivery, channel } = fresh();
    await listener.subscribe(channel);
    const received = nextMessage(channel, async () => undefined);
    const sent = frame('req-3');
    const answer = await outOfMemory(() =>
      delivery.deliver({ channel, jobId: 'job-3', frame: sent, deadline: Date.now() + 5_000 }),
    );
    assert.deepEqual(answer, { copied: false });
    assert.deepEqual((await received).message, sent);
    assert.equal(await copies.read('job-3'), undefined);
  });

  it('still releases the lease and publishes out of memory; the answer says whether it copied', async () => {
    const { leases, copies, delivery, channel } = fresh();
    assert.deepEqual(await leases.acquire('fn', 'L2'), { ok: true });
    await listener.subscribe(channel);
    const received = nextMessage(channel, async () => leases.inFlight('fn'));
    const lease = { functionName: 'fn', leaseId: 'L2' };
    const answer = await outOfMemory(() =>
      delivery.deliver({ channel, jobId: 'job-5', frame: frame('req-5'), deadline: 0, lease }),
    );
    assert.equal((await received).seen, 0, 'the lease was released');
    // Redis lets a script that already changed data finish its writes: here the release did.
    assert.equal(answer.copied, (await copies.read('job-5')) !== undefined);
  });

  it('keeps working after Redis forgets its scripts (SCRIPT FLUSH)', async () => {
    const { copies, delivery, channel } = fresh();
    await redis.script('FLUSH');
    const answer = await delivery.deliver({
      channel,
      jobId: 'job-4',
      frame: frame('req-4'),
      deadline: Date.now() + 5_000,
    });
    assert.deepEqual(answer, { copied: true });
    assert.equal((await copies.read('job-4'))?.header.requestId, 'req-4');
  });
});
