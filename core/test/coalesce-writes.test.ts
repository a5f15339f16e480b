import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Redis } from 'ioredis';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { batchWritesPerTurn, coalesceWrites, noCoalescing } from '../src/redis/coalesce-writes.js';

/** A connection whose socket records cork, write and uncork in order. */
function recordingRedis(): { redis: Redis; events: string[]; write(what: string): void } {
  const events: string[] = [];
  const stream = {
    cork: () => events.push('cork'),
    uncork: () => events.push('uncork'),
  };
  return {
    redis: { stream } as unknown as Redis,
    events,
    write: (what) => events.push(`write ${what}`),
  };
}

describe('coalesceWrites', () => {
  it('corks the socket while the commands are issued and uncorks before returning', async () => {
    const conn = recordingRedis();
    const coalesce = coalesceWrites(conn.redis);
    const result = coalesce(() => {
      conn.write('GET');
      conn.write('EVALSHA');
      return Promise.resolve('both sent');
    });
    assert.deepEqual(conn.events, ['cork', 'write GET', 'write EVALSHA', 'uncork']);
    assert.equal(await result, 'both sent');
  });

  it('uncorks even when the work throws', () => {
    const conn = recordingRedis();
    assert.throws(
      () =>
        coalesceWrites(conn.redis)(() => {
          throw new Error('bad input');
        }),
      /bad input/,
    );
    assert.deepEqual(conn.events, ['cork', 'uncork']);
  });

  it('runs the work as is before the first connect (no socket yet) and without Redis', () => {
    const unconnected = {} as unknown as Redis;
    assert.equal(
      coalesceWrites(unconnected)(() => 42),
      42,
    );
    assert.equal(
      noCoalescing(() => 'plain'),
      'plain',
    );
  });
});

describe('batchWritesPerTurn', () => {
  it('keeps the socket corked until the end of the turn, across promise callbacks and callers', async () => {
    const conn = recordingRedis();
    const batch = batchWritesPerTurn(conn.redis);
    const first = batch(async () => {
      conn.write('EVALSHA lease');
      await Promise.resolve();
      conn.write('EVALSHA add');
    });
    batch(() => conn.write('GET record'));
    await first;
    assert.deepEqual(conn.events, [
      'cork',
      'write EVALSHA lease',
      'write GET record',
      'write EVALSHA add',
    ]);
    await nextTurn();
    assert.deepEqual(conn.events.slice(4), ['uncork'], 'one cork, one uncork per turn');
    batch(() => conn.write('PUBLISH'));
    await nextTurn();
    assert.deepEqual(
      conn.events.slice(5),
      ['cork', 'write PUBLISH', 'uncork'],
      'the next turn corks again',
    );
  });

  it('uncorks at the end of the turn even when the work throws, and runs without a socket', async () => {
    const conn = recordingRedis();
    assert.throws(
      () =>
        batchWritesPerTurn(conn.redis)(() => {
          throw new Error('bad input');
        }),
      /bad input/,
    );
    await nextTurn();
    assert.deepEqual(conn.events, ['cork', 'uncork']);
    assert.equal(
      batchWritesPerTurn({} as unknown as Redis)(() => 7),
      7,
    );
  });
});
