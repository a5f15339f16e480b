/**
 * The async-invocation stores against a real Redis: invocation records end exactly once under
 * racing writers and expire; event invoke configs per qualifier; lambdock queues keep arrival
 * order, store a redelivered message once, page, remove and purge.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  EventInvokeConfigStore,
  InvocationRecordStore,
  MessageQueueStore,
  createAsyncKeys,
  finishRecord,
  newInvocationRecord,
  queueMessage,
  startAttempt,
  type AsyncKeys,
  type QueueMessage,
} from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

function message(id: string): QueueMessage {
  return queueMessage({
    messageId: id,
    body: `{"id":"${id}"}`,
    sentAtMs: 1,
    source: {
      RequestId: id,
      FunctionName: 'f',
      Qualifier: '$LATEST',
      Kind: 'DeadLetter',
      Condition: 'RetriesExhausted',
    },
  });
}

describe('async stores (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let keys: AsyncKeys;

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    keys = createAsyncKeys(`t${randomBytes(4).toString('hex')}`);
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('lets exactly one of many racing writers end an invocation', async () => {
    const store = new InvocationRecordStore(redis, keys, 60_000);
    const created = await store.update('race', () =>
      newInvocationRecord({
        requestId: 'race',
        functionName: 'f',
        qualifier: '$LATEST',
        acceptedAtMs: 0,
      }),
    );
    assert.equal(created.written, true);
    const again = await store.update('race', (current) =>
      current === undefined
        ? newInvocationRecord({
            requestId: 'race',
            functionName: 'f',
            qualifier: '$LATEST',
            acceptedAtMs: 0,
          })
        : undefined,
    );
    assert.equal(again.written, false, 'an existing record is not created twice');
    await store.update('race', (current) => current && startAttempt(current, 1));
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update('race', (current) =>
          current === undefined
            ? undefined
            : finishRecord(
                current,
                {
                  status: i % 2 === 0 ? 'succeeded' : 'failed',
                  condition: 'Success',
                  result: i,
                  destinations: [],
                },
                2,
              ),
        ),
      ),
    );
    const winners = results.filter((r) => r.written);
    assert.equal(winners.length, 1);
    const stored = await store.get('race');
    assert.deepEqual(stored, winners[0]?.record);
    const ttl = await redis.pttl(keys.invocation('race'));
    assert.ok(ttl > 0 && ttl <= 60_000, `ttl ${ttl}`);
  });

  it('keeps event invoke configs per function and qualifier, and drops them with the function', async () => {
    const store = new EventInvokeConfigStore(redis, keys);
    await store.put({
      functionName: 'f',
      qualifier: '$LATEST',
      maximumRetryAttempts: 0,
      lastModifiedMs: 1,
    });
    await store.put({
      functionName: 'f',
      qualifier: 'live',
      maximumEventAgeInSeconds: 60,
      lastModifiedMs: 2,
    });
    assert.deepEqual(await store.get('f', 'live'), {
      functionName: 'f',
      qualifier: 'live',
      maximumEventAgeInSeconds: 60,
      lastModifiedMs: 2,
    });
    assert.deepEqual(
      (await store.list('f')).map((c) => c.qualifier),
      ['$LATEST', 'live'],
    );
    assert.equal(await store.delete('f', 'live'), true);
    assert.equal(await store.delete('f', 'live'), false);
    await store.deleteAll('f');
    assert.deepEqual(await store.list('f'), []);
  });

  it('keeps queue messages in arrival order, once per id', async () => {
    const store = new MessageQueueStore(redis, keys);
    for (const id of ['b', 'a', 'c']) assert.equal(await store.send('dlq', message(id)), true);
    assert.equal(
      await store.send('dlq', message('a')),
      false,
      'a redelivered message is stored once',
    );
    assert.deepEqual(await store.list(), [{ name: 'dlq', messages: 3 }]);
    const first = await store.messages('dlq', 2);
    assert.deepEqual(
      first.messages.map((m) => m.MessageId),
      ['b', 'a'],
    );
    assert.equal(first.next, 'a');
    assert.deepEqual(await store.messages('dlq', 2, first.next), { messages: [message('c')] });
    assert.deepEqual(await store.messages('dlq', 2, 'unknown'), { messages: [] });
    assert.deepEqual(await store.get('dlq', 'c'), message('c'));
    assert.equal(await store.remove('dlq', 'a'), true);
    assert.equal(await store.remove('dlq', 'a'), false);
    assert.equal(await store.count('dlq'), 2);
    assert.equal(await store.purge('dlq'), 2);
    assert.deepEqual(await store.list(), []);
    await store.send('other', message('x'));
    await store.remove('other', 'x');
    assert.deepEqual(await store.list(), [], 'a queue disappears with its last message');
  });
});
