import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { OfferSnapshot } from '@lambdock/core';
import type { PoolEntry } from '../src/invoke/environment-pool.js';
import { planOfferRepair } from '../src/provisioned/offer-repair.js';

const entry = (id: string, state: PoolEntry['state'], offered: boolean): PoolEntry => ({
  id,
  key: 'demo:1#1',
  functionName: 'demo',
  version: '1',
  generation: 1,
  memoryMb: 128,
  state,
  lastUsedAt: 0,
  env: undefined,
  provisioned: true,
  offered,
});

const snapshot = (
  offered: string[],
  claimed: Record<string, number> = {},
  now = 10_000,
): OfferSnapshot => ({
  now,
  offered: new Map([['demo:1', new Set(offered)]]),
  claimed: new Map(Object.entries(claimed).map(([id, at]) => [id, { versionKey: 'demo:1', at }])),
});

const TTL = 5_000;
const ids = (entries: PoolEntry[]) => entries.map((e) => e.id);

describe('planOfferRepair', () => {
  it('changes nothing when Redis agrees with the pool', () => {
    const repair = planOfferRepair(
      [entry('a', 'idle', true), entry('b', 'busy', false), entry('c', 'idle', false)],
      snapshot(['a'], { c: 9_000 }),
      TTL,
    );
    assert.deepEqual(repair, { offer: [], dropOffers: new Map(), dropClaims: new Map() });
  });

  it('offers again an idle one whose offer was lost', () => {
    const repair = planOfferRepair([entry('a', 'idle', true)], snapshot([]), TTL);
    assert.deepEqual(ids(repair.offer), ['a']);
  });

  it('waits for a claimed one’s job, and offers it again once the claim is too old', () => {
    const fresh = planOfferRepair([entry('a', 'idle', false)], snapshot([], { a: 9_000 }), TTL);
    assert.deepEqual(ids(fresh.offer), []);
    const stale = planOfferRepair([entry('a', 'idle', false)], snapshot([], { a: 4_000 }), TTL);
    assert.deepEqual(ids(stale.offer), ['a']);
  });

  it('drops offers of busy or vanished environments and old claims of vanished ones', () => {
    const repair = planOfferRepair(
      [entry('a', 'busy', false)],
      snapshot(['a', 'gone'], { old: 1_000, recent: 9_500 }),
      TTL,
    );
    assert.deepEqual(repair.dropOffers, new Map([['demo:1', ['a', 'gone']]]));
    assert.deepEqual(repair.dropClaims, new Map([['old', 'demo:1']]));
  });
});
