/**
 * Concurrency leases against a real Redis: caps hold under contention, reservations carve
 * out of the account pool, and a dead holder's slots come back after the lease TTL.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import {
  ConcurrencyLeases,
  createKeys,
  FunctionRegistry,
  ProvisionedConcurrencyStore,
  THROTTLE_REASONS,
} from '@lambdock/core';
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
      provisioned: new ProvisionedConcurrencyStore(redis, keys.prefix),
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

  it('keeps the provisioned share of a reservation for invocations that may use it', async () => {
    const { leases, registry, provisioned } = fresh(1000);
    const config = (qualifier: string, requested: number) => ({
      functionName: 'f',
      qualifier,
      requested,
      lastModified: '2026-01-02T03:04:05.000+0000',
    });
    await registry.putReservedConcurrency('f', 4);
    await provisioned.put(config('1', 1));
    await provisioned.put(config('live', 1));
    const onDemand = (id: string) => leases.acquire('f', id, false);
    const onProvisioned = (id: string) => leases.acquire('f', id, true);
    // 4 reserved, 2 of them provisioned: 2 for everything else.
    assert.deepEqual(await onDemand('d1'), { ok: true });
    assert.deepEqual(await onDemand('d2'), { ok: true });
    assert.deepEqual(await onDemand('d3'), { ok: false, reason: THROTTLE_REASONS.RESERVED });
    assert.deepEqual(await onProvisioned('p1'), { ok: true });
    assert.deepEqual(await onProvisioned('p2'), { ok: true });
    assert.deepEqual(await onProvisioned('p3'), { ok: false, reason: THROTTLE_REASONS.RESERVED });
    assert.equal(await leases.inFlight('f'), 4);
    // A provisioned slot freed is not one for everything else.
    await leases.release('f', 'p1');
    assert.equal((await onDemand('d3')).ok, false);
    // An everything-else slot freed may be taken by a provisioned invocation (spill-over).
    await leases.release('f', 'd1');
    assert.equal((await onProvisioned('p3')).ok, true);
    assert.equal((await onProvisioned('p4')).ok, true);
    assert.equal((await onProvisioned('p5')).ok, false);
    // Without provisioned concurrency the reservation is one pool again.
    for (const id of ['d2', 'p2', 'p3', 'p4']) await leases.release('f', id);
    await provisioned.delete('f', '1');
    await provisioned.delete('f', 'live');
    for (const id of ['e1', 'e2', 'e3', 'e4'])
      assert.equal((await onDemand(id)).ok, true, `${id} taken`);
    assert.equal((await onDemand('e5')).ok, false);
  });

  it('throttles everything but provisioned invocations when provisioning takes the whole reservation', async () => {
    const { leases, registry, provisioned } = fresh(1000);
    await registry.putReservedConcurrency('f', 1);
    await provisioned.put({
      functionName: 'f',
      qualifier: '1',
      requested: 1,
      lastModified: '2026-01-02T03:04:05.000+0000',
    });
    assert.deepEqual(await leases.acquire('f', 'latest', false), {
      ok: false,
      reason: THROTTLE_REASONS.RESERVED,
    });
    assert.deepEqual(await leases.acquire('f', 'v1', true), { ok: true });
    assert.equal(await leases.renew('f', 'v1'), true);
    assert.equal((await leases.acquire('f', 'v1b', true)).ok, false);
    await leases.release('f', 'v1');
    assert.deepEqual(await leases.acquire('f', 'v1b', true), { ok: true });
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
