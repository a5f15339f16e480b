/**
 * Function logs against a real Redis: single appends and batches (one script each) land in each
 * function's stream in order, with their request ids, and the stream stays capped.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createKeys, LogStore } from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

describe('log store (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  const fresh = (maxEntries = 1000): LogStore =>
    new LogStore(redis, createKeys(`t${randomBytes(4).toString('hex')}`), maxEntries);

  it('appends one by one and as a batch, each function in its own stream, in order', async () => {
    const logs = fresh();
    await logs.append('a', 'r1', 'first');
    await logs.appendMany([
      { functionName: 'a', requestId: 'r2', text: 'second' },
      { functionName: 'b', requestId: 'r3', text: 'other function' },
      { functionName: 'a', requestId: 'r4', text: 'third' },
    ]);
    const a = await logs.read('a', 10);
    assert.deepEqual(
      a.map((e) => [e.requestId, e.text]),
      [
        ['r1', 'first'],
        ['r2', 'second'],
        ['r4', 'third'],
      ],
    );
    assert.deepEqual(
      (await logs.read('b', 10)).map((e) => e.requestId),
      ['r3'],
    );
    assert.ok(a.every((e) => e.timestamp > 0));
  });

  it('keeps a batched stream near its cap', async () => {
    const logs = fresh(10);
    const entries = Array.from({ length: 500 }, (_, i) => ({
      functionName: 'capped',
      requestId: `r${i}`,
      text: 'x',
    }));
    await logs.appendMany(entries);
    const kept = await logs.read('capped', 1000);
    // MAXLEN ~ trims whole macro nodes: near the cap, never the whole history.
    assert.ok(kept.length < 500, `kept ${kept.length}`);
    assert.equal(kept.at(-1)?.requestId, 'r499');
  });

  it('writes a batch after Redis forgot its scripts, and an empty batch writes nothing', async () => {
    const logs = fresh();
    await logs.appendMany([]);
    assert.deepEqual(await logs.read('a', 10), []);
    await redis.script('FLUSH');
    await logs.appendMany([{ functionName: 'a', requestId: 'r1', text: 'after a flush' }]);
    assert.deepEqual(
      (await logs.read('a', 10)).map((e) => e.text),
      ['after a flush'],
    );
  });
});
