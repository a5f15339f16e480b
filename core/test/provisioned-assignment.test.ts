import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planAssignment, type ProvisionedAssignment } from '../src/index.js';

const wanted = (entries: Record<string, number>): Map<string, number> =>
  new Map(Object.entries(entries));
const ready = (entries: Record<string, Record<string, number>>): Map<string, Map<string, number>> =>
  new Map(Object.entries(entries).map(([w, counts]) => [w, new Map(Object.entries(counts))]));
const targetsOf = (plan: ProvisionedAssignment, key: string): Record<string, number> =>
  Object.fromEntries(
    Object.entries(plan.workers).map(([w, shares]) => [w, shares[key]?.target ?? 0]),
  );

describe('planAssignment', () => {
  it('spreads a count evenly over the live workers', () => {
    const plan = planAssignment({
      wanted: wanted({ 'f:1': 4 }),
      live: ['b', 'a'],
      ready: new Map(),
    });
    assert.deepEqual(plan.targets, { 'f:1': 4 });
    assert.deepEqual(targetsOf(plan, 'f:1'), { a: 2, b: 2 });
  });

  it('gives remainders to the least loaded workers, across versions', () => {
    const plan = planAssignment({
      wanted: wanted({ 'f:1': 1, 'f:2': 1, 'g:1': 1 }),
      live: ['a', 'b'],
      ready: new Map(),
    });
    assert.deepEqual(
      ['f:1', 'f:2', 'g:1'].map((k) => targetsOf(plan, k)),
      [
        { a: 1, b: 0 },
        { a: 0, b: 1 },
        { a: 1, b: 0 },
      ],
    );
  });

  it('keeps a remainder where it was when loads tie (no flapping)', () => {
    const previous = planAssignment({
      wanted: wanted({ 'f:1': 1 }),
      live: ['b'],
      ready: new Map(),
    });
    const plan = planAssignment({
      wanted: wanted({ 'f:1': 1 }),
      live: ['a', 'b'],
      previous,
      ready: ready({ b: { 'f:1': 1 } }),
    });
    assert.deepEqual(targetsOf(plan, 'f:1'), { a: 0, b: 1 });
  });

  it('lets a worker over its share keep its extras until the others have theirs ready', () => {
    const input = { wanted: wanted({ 'f:1': 2 }), live: ['a', 'b'] };
    const handing = planAssignment({ ...input, ready: ready({ a: { 'f:1': 2 } }) });
    assert.deepEqual(handing.workers.a?.['f:1'], { target: 1, keep: 2 });
    assert.deepEqual(handing.workers.b?.['f:1'], { target: 1, keep: 1 });
    const done = planAssignment({ ...input, ready: ready({ a: { 'f:1': 2 }, b: { 'f:1': 1 } }) });
    assert.deepEqual(done.workers.a?.['f:1'], { target: 1, keep: 1 });
  });

  it('moves everything to the live workers and plans nothing for the dead', () => {
    const plan = planAssignment({
      wanted: wanted({ 'f:1': 3 }),
      live: ['a'],
      ready: ready({ a: { 'f:1': 1 } }),
    });
    assert.deepEqual(plan.workers, { a: { 'f:1': { target: 3, keep: 3 } } });
  });

  it('drops versions asked for 0 and still lists targets with no live worker', () => {
    const plan = planAssignment({
      wanted: wanted({ 'f:1': 0, 'f:2': 2 }),
      live: [],
      ready: new Map(),
    });
    assert.deepEqual(plan, { targets: { 'f:2': 2 }, workers: {} });
  });
});
