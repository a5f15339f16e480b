import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import { createEnvironmentPool, type PoolEntry } from '../src/invoke/environment-pool.js';
import type { ProvisionedOffers } from '../src/invoke/pool-offers.js';
import { fakeEnv, type FakeEnv } from './helpers/fakes.js';
import { record } from './helpers/records.js';

/** Offers as a gateway would see them: a set of offered ids, and claims made by "gateways". */
function fakeOffers() {
  const offered = new Set<string>();
  const log: string[] = [];
  const offers: ProvisionedOffers = {
    offer: (e: PoolEntry) => {
      offered.add(e.id);
      log.push(`offer ${e.id}`);
    },
    take: async (e: PoolEntry) => {
      log.push(`take ${e.id}`);
      return offered.delete(e.id);
    },
    withdraw: (e: PoolEntry) => {
      offered.delete(e.id);
      log.push(`withdraw ${e.id}`);
    },
  };
  /** A gateway claims one (as the claim script: pop it). */
  const claim = (): string | undefined => {
    const [id] = offered;
    if (id !== undefined) offered.delete(id);
    return id;
  };
  return { offers, offered, log, claim };
}

function pool() {
  const o = fakeOffers();
  const created: FakeEnv[] = [];
  const p = createEnvironmentPool({
    maxEnvironments: 4,
    memoryBudgetMb: 4096,
    idleTimeoutMs: 60_000,
    logger: createSilentLogger(),
    offers: o.offers,
    create: async (_r, id) => {
      const env = fakeEnv(id);
      created.push(env);
      return env;
    },
  });
  return { p, created, ...o };
}

const v1 = record({ version: '1' });

describe('provisioned environments offered to gateways', () => {
  it('offers one once initialized, and again each time it is released', async () => {
    const { p, offered } = pool();
    await p.startProvisioned(v1);
    const [id] = offered;
    assert.ok(id);
    const run = await p.acquire(v1, 'sync');
    assert.deepEqual([run.entry.id, run.provisioned, offered.size], [id, true, 0]);
    p.release(run.entry, true);
    assert.deepEqual([...offered], [id]);
  });

  it('runs a job on the environment its gateway claimed', async () => {
    const { p, claim, log } = pool();
    await p.startProvisioned(v1);
    await p.startProvisioned(v1);
    const id = claim();
    const run = await p.acquire(v1, 'sync', undefined, id);
    assert.equal(run.entry.id, id);
    assert.deepEqual([run.provisioned, run.spillover, run.cold], [true, false, false]);
    assert.ok(log.includes(`withdraw ${id}`), 'its claim is cleared');
  });

  it('leaves a claimed environment to its job: others run elsewhere', async () => {
    const { p, claim } = pool();
    await p.startProvisioned(v1);
    const id = claim();
    const other = await p.acquire(v1, 'sync');
    assert.notEqual(other.entry.id, id);
    assert.deepEqual([other.provisioned, other.spillover, other.cold], [false, true, true]);
    const claimed = await p.acquire(v1, 'sync', undefined, id);
    assert.equal(claimed.entry.id, id);
  });

  it('steps aside when a gateway claims it while a local job takes it back', async () => {
    const { p, offered, offers } = pool();
    await p.startProvisioned(v1);
    const [id] = offered;
    // The claim lands between the pool's choice and Redis's answer.
    const take = offers.take;
    offers.take = async (e) => {
      offered.delete(e.id);
      return take(e);
    };
    const run = await p.acquire(v1, 'sync');
    assert.notEqual(run.entry.id, id);
    assert.equal(run.spillover, true);
    assert.equal(p.provisionedEntries()[0]?.state, 'idle', 'kept for the claimed job');
  });

  it('falls back to another provisioned environment when the claimed one is busy or gone', async () => {
    const { p, created, claim } = pool();
    await p.startProvisioned(v1);
    await p.startProvisioned(v1);
    const id = claim();
    created.find((e) => e.id === id)?.die();
    const run = await p.acquire(v1, 'sync', undefined, id);
    assert.notEqual(run.entry.id, id);
    assert.equal(run.provisioned, true);
  });

  it('offers a claimed environment again when asked (its claim expired)', async () => {
    const { p, offered, claim } = pool();
    await p.startProvisioned(v1);
    const id = claim() ?? '';
    assert.equal(offered.size, 0);
    assert.equal(p.reoffer(id), true);
    assert.deepEqual([...offered], [id]);
    const run = await p.acquire(v1, 'sync');
    assert.equal(run.entry.id, id);
    assert.equal(p.reoffer(id), false, 'busy: nothing to offer');
  });

  it('withdraws a retired one', async () => {
    const { p, offered, log } = pool();
    await p.startProvisioned(v1);
    const [id] = offered;
    p.retireProvisioned('demo', '1', 0);
    assert.equal(offered.size, 0);
    assert.ok(log.includes(`withdraw ${id}`));
  });

  it('counts spillover for a version provisioned elsewhere in the fleet', async () => {
    const { p } = pool();
    p.setProvisionedTargets(new Set(['demo:1']));
    const run = await p.acquire(v1, 'sync');
    assert.deepEqual([run.provisioned, run.spillover], [false, true]);
    const other = await p.acquire(record({ version: '2' }), 'sync');
    assert.equal(other.spillover, false);
  });

  it('tells an async attempt whether its version is provisioned and idle here', async () => {
    const { p } = pool();
    assert.deepEqual(p.provisionedHere(v1), { targeted: false, idle: false });
    p.setProvisionedTargets(new Set(['demo:1']));
    assert.deepEqual(p.provisionedHere(v1), { targeted: true, idle: false }, 'only elsewhere');
    await p.startProvisioned(v1);
    assert.deepEqual(p.provisionedHere(v1), { targeted: true, idle: true });
    const run = await p.acquire(v1, 'async');
    assert.deepEqual(p.provisionedHere(v1), { targeted: true, idle: false }, 'busy');
    p.release(run.entry, true);
    p.setProvisionedTargets(new Set());
    assert.equal(p.provisionedHere(v1).targeted, true, 'it holds one itself');
  });
});
