/**
 * Concurrency leases against a real Redis: caps hold under contention, reservations carve
 * out of the account pool, and a dead holder's slots come back after the lease TTL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { ConcurrencyLeases, createKeys, FunctionRegistry, THROTTLE_REASONS } from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

describe('concurrency leases (real Redis)', () => {
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

  function fresh(accountLimit: number, ttlMs = 30_000) {
    const keys = createKeys(`t${randomBytes(4).toString('hex')}`);
    return {
      keys,
      leases: new ConcurrencyLeases(redis, keys, accountLimit, ttlMs),
      registry: new FunctionRegistry(redis, keys),
    };
  }

  it('keeps working after Redis forgets its scripts (SCRIPT FLUSH answers NOSCRIPT)', async () => {
    const { leases } = fresh(10);
    assert.deepEqual(await leases.acquire('f', 'a'), { ok: true });
    await redis.script('FLUSH');
    assert.deepEqual(await leases.acquire('f', 'b'), { ok: true });
    assert.equal(await leases.inFlight('f'), 2);
    assert.equal(await leases.renew('f', 'a'), true);
  });

  it('never grants more than the reserved concurrency under 200 concurrent acquires', async () => {
    const { leases, registry } = fresh(1000);
    await registry.putReservedConcurrency('f', 5);
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) => leases.acquire('f', `l${i}`)),
    );
    const granted = results.filter((r) => r.ok).length;
    assert.equal(granted, 5);
    const refused = results.find((r) => !r.ok);
    assert.deepEqual(refused, { ok: false, reason: THROTTLE_REASONS.RESERVED });
    assert.equal(await leases.inFlight('f'), 5);
  });

  it('shares the account limit minus all reservations among unreserved functions', async () => {
    const { leases, registry } = fresh(10);
    await registry.putReservedConcurrency('reserved', 4);
    const grants = [];
    for (let i = 0; i < 8; i++) grants.push(await leases.acquire(i % 2 ? 'a' : 'b', `u${i}`));
    assert.equal(grants.filter((g) => g.ok).length, 6);
    assert.deepEqual(grants[7], { ok: false, reason: THROTTLE_REASONS.ACCOUNT });
    assert.deepEqual(await leases.acquire('reserved', 'r1'), { ok: true });
  });

  it('throttles everything at reserved concurrency 0 and frees slots on release', async () => {
    const { leases, registry } = fresh(10);
    await registry.putReservedConcurrency('zero', 0);
    assert.equal((await leases.acquire('zero', 'z')).ok, false);
    await registry.putReservedConcurrency('one', 1);
    assert.equal((await leases.acquire('one', 'a')).ok, true);
    assert.equal((await leases.acquire('one', 'b')).ok, false);
    await leases.release('one', 'a');
    assert.equal((await leases.acquire('one', 'b')).ok, true);
  });

  it("returns a dead holder's slot after the lease TTL, and renewal keeps a live one", async () => {
    const { leases, registry } = fresh(10, 300);
    await registry.putReservedConcurrency('f', 1);
    assert.equal((await leases.acquire('f', 'dead')).ok, true);
    assert.equal((await leases.acquire('f', 'next')).ok, false);
    await sleep(350);
    assert.equal((await leases.acquire('f', 'next')).ok, true, 'expired lease was swept');
    for (let i = 0; i < 4; i++) {
      await sleep(150);
      assert.equal(await leases.renew('f', 'next'), true);
    }
    assert.equal(
      (await leases.acquire('f', 'third')).ok,
      false,
      'renewed lease still holds the slot',
    );
  });
});
