/**
 * The provisioned concurrency store against a real Redis: configs per function and qualifier,
 * progress dropped with its config, and a provisioning lock that one holder keeps and others
 * get only after it expires.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { ProvisionedConcurrencyStore, type ProvisionedConfig } from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

const config = (functionName: string, qualifier: string): ProvisionedConfig => ({
  functionName,
  qualifier,
  requested: 2,
  lastModified: '2026-01-02T03:04:05.000+0000',
});

describe('provisioned concurrency store (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let store: ProvisionedConcurrencyStore;

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    store = new ProvisionedConcurrencyStore(redis, `t${randomBytes(4).toString('hex')}`);
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('stores, lists per function and deletes configs with their progress', async () => {
    await store.put(config('fn', 'live'));
    await store.put(config('fn', '1'));
    await store.put(config('fn2', 'live'));
    await store.putProgress('fn', 'live', { requested: 2, allocated: 1, status: 'IN_PROGRESS' });
    assert.deepEqual(await store.get('fn', 'live'), config('fn', 'live'));
    assert.deepEqual(await store.list('fn'), [config('fn', '1'), config('fn', 'live')]);
    assert.equal((await store.list()).length, 3);
    assert.equal(await store.delete('fn', 'live'), true);
    assert.equal(await store.delete('fn', 'live'), false);
    assert.equal(await store.get('fn', 'live'), undefined);
    assert.equal(await store.getProgress('fn', 'live'), undefined);
  });

  it('keeps the lock with its holder until it expires', async () => {
    assert.equal(await store.holdLock('w1', 200), true);
    assert.equal(await store.holdLock('w2', 200), false);
    assert.equal(await store.holdLock('w1', 200), true);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(await store.holdLock('w2', 200), true);
    assert.equal(await store.holdLock('w1', 200), false);
  });
});
