/**
 * Function logs against a real Redis: single appends and batches (one script each) land in each
 * function's stream in order, with their request ids and log streams, the stream stays capped,
 * and the log stream index follows the stream, trimming included.
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

  const entry = (functionName: string, requestId: string, text: string, logStream = 's1') => ({
    functionName,
    requestId,
    text,
    logStream,
  });

  const fresh = (maxEntries = 1000): LogStore =>
    new LogStore(redis, createKeys(`t${randomBytes(4).toString('hex')}`), maxEntries);

  it('appends one by one and as a batch, each function in its own stream, in order', async () => {
    const logs = fresh();
    await logs.append(entry('a', 'r1', 'first'));
    await logs.appendMany([
      entry('a', 'r2', 'second'),
      entry('b', 'r3', 'other function'),
      entry('a', 'r4', 'third'),
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
    const entries = Array.from({ length: 500 }, (_, i) => entry('capped', `r${i}`, 'x'));
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
    await logs.appendMany([entry('a', 'r1', 'after a flush')]);
    assert.deepEqual(
      (await logs.read('a', 10)).map((e) => e.text),
      ['after a flush'],
    );
  });

  it("keeps each entry's log stream and an index of the streams by first and last event", async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const logs = new LogStore(redis, createKeys(prefix), 1000);
    await logs.appendMany([entry('f', 'r1', 'one', 'sA'), entry('f', 'r2', 'two', 'sB')]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await logs.append(entry('f', 'r3', 'three', 'sA'));
    const all = await logs.range('f', '-', '+', 10);
    assert.deepEqual(
      all.map((e) => [e.requestId, e.logStream]),
      [
        ['r1', 'sA'],
        ['r2', 'sB'],
        ['r3', 'sA'],
      ],
    );
    const [first, second, third] = all;
    assert.deepEqual(await logs.streams('f'), [
      { name: 'sA', firstEventTimestamp: first?.timestamp, lastEventTimestamp: third?.timestamp },
      { name: 'sB', firstEventTimestamp: second?.timestamp, lastEventTimestamp: second?.timestamp },
    ]);
    assert.deepEqual(
      (await logs.rangeBack('f', '+', '-', 2)).map((e) => e.requestId),
      ['r3', 'r2'],
    );
    assert.deepEqual(
      (await logs.range('f', `(${all[0]?.id ?? ''}`, String(third?.timestamp), 10)).map(
        (e) => e.requestId,
      ),
      ['r2', 'r3'],
    );
    assert.equal(await logs.oldest('f'), first?.timestamp);
    assert.equal(await logs.oldest('nothing'), undefined);
    await logs.delete('f');
    assert.deepEqual(await logs.streams('f'), []);
    const keys = createKeys(prefix);
    assert.equal(
      await redis.exists(keys.logs('f'), keys.logStreams('f'), keys.logStreamStarts('f')),
      0,
    );
  });

  it('drops from the index a stream whose events the cap trimmed away', async () => {
    const logs = fresh(10);
    await logs.append(entry('t', 'old', 'x', 'gone'));
    await new Promise((resolve) => setTimeout(resolve, 5));
    for (let i = 0; i < 5; i++) {
      await logs.appendMany(
        Array.from({ length: 100 }, (_, j) => entry('t', `r${i}-${j}`, 'x', 'kept')),
      );
    }
    const kept = await logs.range('t', '-', '+', 1000);
    assert.ok(
      kept.every((e) => e.logStream === 'kept'),
      "the old stream's one entry was trimmed",
    );
    assert.deepEqual(
      (await logs.streams('t')).map((s) => s.name),
      ['kept'],
    );
  });
});
