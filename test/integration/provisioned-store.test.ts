/**
 * The provisioned concurrency store against a real Redis: configs per function and qualifier,
 * progress dropped with its config, and a provisioning lock that one holder keeps and others
 * get only after it expires.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { ProvisionedConcurrencyStore, createKeys, type ProvisionedConfig } from '@lambdock/core';
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
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const total = async (name: string): Promise<string | null> =>
    redis.hget(createKeys(prefix).provisionedTotals, name);

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    store = new ProvisionedConcurrencyStore(redis, prefix);
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

  it('keeps each function’s total of requested environments with its configs', async () => {
    await store.put(config('tot', 'live'));
    await store.put({ ...config('tot', '1'), requested: 3 });
    await store.put(config('tot2', 'live'));
    assert.equal(await total('tot'), '5');
    assert.equal(await total('tot2'), '2');
    await store.put({ ...config('tot', '1'), requested: 1 });
    assert.equal(await total('tot'), '3');
    await store.delete('tot', 'live');
    assert.equal(await total('tot'), '1');
    await store.delete('tot', '1');
    assert.equal(await total('tot'), null);
    assert.equal(await total('tot2'), '2');
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
