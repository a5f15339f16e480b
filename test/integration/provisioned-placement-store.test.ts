/**
 * Provisioned placement in a real Redis: claims pop an offered environment of a live worker and
 * record it under that worker, skip (and drop) offers of workers that stopped beating, and race
 * correctly with a worker taking its environment back; the fleet store's liveness, plan,
 * targets and sweep.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  EMPTY_ASSIGNMENT,
  ProvisionedFleetStore,
  ProvisionedOffersStore,
  provisionedKeys,
} from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

describe('provisioned placement stores (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let prefix: string;
  let offers: ProvisionedOffersStore;
  let fleet: ProvisionedFleetStore;

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  const fresh = (): void => {
    prefix = `t${randomBytes(4).toString('hex')}`;
    offers = new ProvisionedOffersStore(redis, prefix);
    fleet = new ProvisionedFleetStore(redis, prefix);
  };

  it('claims an offered environment once, and records the claim under its worker', async () => {
    fresh();
    await fleet.beat('w1', 5_000);
    await offers.offer('w1', 'f:1', 'e1');
    assert.deepEqual(await offers.claim('f:1'), { workerId: 'w1', environmentId: 'e1' });
    assert.equal(await offers.claim('f:1'), undefined);
    const snap = await offers.snapshot('w1', ['f:1']);
    assert.deepEqual([...(snap.offered.get('f:1') ?? [])], []);
    assert.equal(snap.claimed.get('e1')?.versionKey, 'f:1');
    assert.ok(Math.abs((snap.claimed.get('e1')?.at ?? 0) - snap.now) < 1_000);
    assert.equal(await offers.take('w1', 'f:1', 'e1'), false, 'a claimed one is not taken back');
    await offers.offer('w1', 'f:1', 'e1');
    const again = await offers.snapshot('w1', ['f:1']);
    assert.deepEqual([[...(again.offered.get('f:1') ?? [])], again.claimed.size], [['e1'], 0]);
    assert.equal(await offers.take('w1', 'f:1', 'e1'), true);
    assert.equal(await offers.claim('f:1'), undefined);
  });

  it('skips and drops offers of a worker that stopped beating', async () => {
    fresh();
    await fleet.beat('alive', 5_000);
    await fleet.beat('dead', 1);
    await new Promise((resolve) => setTimeout(resolve, 10));
    await offers.offer('dead', 'f:1', 'd1');
    await offers.offer('alive', 'f:1', 'a1');
    assert.deepEqual(await offers.claim('f:1'), { workerId: 'alive', environmentId: 'a1' });
    assert.equal(await offers.claim('f:1'), undefined);
    assert.equal(await redis.scard(provisionedKeys(prefix).idle('f:1')), 0);
    assert.deepEqual(await fleet.liveWorkers(), ['alive']);
    await fleet.leave('alive');
    assert.deepEqual(await fleet.liveWorkers(), []);
  });

  it('withdraws an environment from offers and claims alike', async () => {
    fresh();
    await fleet.beat('w1', 5_000);
    await offers.offer('w1', 'f:1', 'e1');
    await offers.offer('w1', 'f:1', 'e2');
    await offers.claim('f:1');
    await offers.withdraw('w1', 'f:1', 'e1');
    await offers.withdraw('w1', 'f:1', 'e2');
    const snap = await offers.snapshot('w1', ['f:1']);
    assert.deepEqual([snap.offered.get('f:1')?.size, snap.claimed.size], [0, 0]);
  });

  it('writes the plan and its targets, and forgets what a dead worker left', async () => {
    fresh();
    const keys = provisionedKeys(prefix);
    const plan = { targets: { 'f:1': 2 }, workers: { w1: { 'f:1': { target: 2, keep: 2 } } } };
    await fleet.putAssignment(plan, EMPTY_ASSIGNMENT);
    assert.deepEqual(await fleet.assignment(), plan);
    assert.deepEqual([...(await offers.targets())], ['f:1']);
    await fleet.beat('w1', 5_000);
    await offers.offer('w1', 'f:1', 'e1');
    await offers.offer('gone', 'f:1', 'g1');
    await fleet.putReport('gone', { versions: { 'f:1': { ready: 1, starting: 0 } }, failures: {} });
    await redis.zadd(keys.claims('gone'), 1, 'f:1/g2');
    await fleet.sweep(['w1'], ['gone'], ['f:1']);
    assert.deepEqual(await redis.smembers(keys.idle('f:1')), ['w1/e1']);
    assert.deepEqual([...(await fleet.reports()).keys()], []);
    assert.equal(await redis.exists(keys.claims('gone')), 0);
    await fleet.putAssignment(EMPTY_ASSIGNMENT, plan);
    assert.deepEqual([...(await offers.targets())], []);
    assert.equal(await redis.exists(keys.idle('f:1')), 0, 'offers of a dropped version go');
  });
});
