import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger, type FunctionRecord } from '@lambdock/core';
import {
  createEnvironmentPool,
  type EnvironmentPoolOptions,
} from '../src/invoke/environment-pool.js';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import { fakeEnv, type FakeEnv } from './helpers/fakes.js';
import { record } from './helpers/records.js';

function pool(overrides: Partial<EnvironmentPoolOptions> = {}) {
  const created: Array<{ fn: string; env: FakeEnv }> = [];
  let clock = 1_000;
  const p = createEnvironmentPool({
    maxEnvironments: 2,
    memoryBudgetMb: 1024,
    idleTimeoutMs: 60_000,
    logger: createSilentLogger(),
    now: () => clock,
    create: async (r: FunctionRecord, id: string) => {
      const env = fakeEnv(id);
      created.push({ fn: r.name, env });
      return env;
    },
    ...overrides,
  });
  return { p, created, tick: (ms: number) => (clock += ms) };
}

/** Starts the first environment at once and holds every later start until `open()`. */
function gatedCreate() {
  const gates: Array<() => void> = [];
  const made: FakeEnv[] = [];
  const create = async (_r: FunctionRecord, id: string): Promise<FakeEnv> => {
    if (made.length > 0) await new Promise<void>((resolve) => gates.push(resolve));
    const env = fakeEnv(id);
    made.push(env);
    return env;
  };
  return { create, made, open: () => gates.forEach((go) => go()) };
}

describe('environment pool', () => {
  it('reuses a warm environment of the same function and generation', async () => {
    const { p, created } = pool();
    const a = await p.acquire(record(), 'sync');
    assert.equal(a.cold, true);
    p.release(a.entry, true);
    const b = await p.acquire(record(), 'sync');
    assert.equal(b.cold, false);
    assert.equal(b.env, a.env);
    assert.equal(created.length, 1);
  });

  it('never reuses an older generation and retires its idle environments', async () => {
    const { p, created } = pool();
    const a = await p.acquire(record({ generation: 1 }), 'sync');
    p.release(a.entry, true);
    const b = await p.acquire(record({ generation: 2 }), 'sync');
    assert.equal(b.cold, true);
    assert.equal(created[0]?.env.destroyed, true);
  });

  it('tears an older generation down once its successor has started, not while it starts', async () => {
    const { create, made, open } = gatedCreate();
    const { p } = pool({ create });
    const a = await p.acquire(record({ generation: 1 }), 'sync');
    p.release(a.entry, true);
    const starting = p.acquire(record({ generation: 2 }), 'sync');
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    assert.equal(made[0]?.destroyed, false, 'still there while the new one starts');
    assert.equal(p.stats().idle, 0, 'but out of the pool at once');
    open();
    const b = await starting;
    await new Promise((r) => setImmediate(r));
    assert.equal(b.cold, true);
    assert.equal(made[0]?.destroyed, true, 'torn down once the new one is up');
  });

  it('tears an older generation down at once when no environment is starting', async () => {
    const { p, created } = pool();
    const old = await p.acquire(record({ generation: 1 }), 'sync');
    const current = await p.acquire(record({ generation: 2 }), 'sync');
    p.release(current.entry, true);
    // The old one finishes its run after the new generation has a warm environment.
    p.release(old.entry, true);
    const again = await p.acquire(record({ generation: 2 }), 'sync');
    assert.equal(again.env, current.env, 'the warm one, no start');
    await new Promise((r) => setImmediate(r));
    assert.equal(created[0]?.env.destroyed, true);
  });

  it('does not let starts that follow one another keep an older generation alive', async () => {
    const made: FakeEnv[] = [];
    const { p } = pool({
      staleTeardownMaxWaitMs: 30,
      create: async (_r: FunctionRecord, id: string) => {
        // Every start after the first never finishes: starts are always in flight.
        if (made.length > 0) await new Promise<void>(() => undefined);
        const env = fakeEnv(id);
        made.push(env);
        return env;
      },
    });
    const a = await p.acquire(record({ generation: 1 }), 'sync');
    p.release(a.entry, true);
    void p.acquire(record({ generation: 2 }), 'sync');
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(made[0]?.destroyed, false);
    await new Promise((r) => setTimeout(r, 60));
    assert.equal(made[0]?.destroyed, true, 'torn down after the longest wait');
  });

  it('shutting down tears down the older generations still waiting', async () => {
    const { create, made, open } = gatedCreate();
    const { p } = pool({ create });
    const a = await p.acquire(record({ generation: 1 }), 'sync');
    p.release(a.entry, true);
    const starting = p.acquire(record({ generation: 2 }), 'sync').catch((err: unknown) => err);
    await new Promise((r) => setImmediate(r));
    const down = p.shutdown();
    open();
    await down;
    await starting;
    assert.equal(made[0]?.destroyed, true);
  });

  it('discards an environment released as not reusable', async () => {
    const { p, created } = pool();
    const a = await p.acquire(record(), 'sync');
    p.release(a.entry, false);
    assert.equal(created[0]?.env.destroyed, true);
    assert.deepEqual(p.stats(), { starting: 0, idle: 0, busy: 0, memoryMb: 0 });
  });

  it('evicts the least recently used idle environment of another function when full', async () => {
    const { p, created, tick } = pool();
    const a = await p.acquire(record({ name: 'a' }), 'sync');
    tick(10);
    const b = await p.acquire(record({ name: 'b' }), 'sync');
    p.release(a.entry, true);
    tick(10);
    p.release(b.entry, true);
    await p.acquire(record({ name: 'c' }), 'sync');
    assert.equal(created.find((c) => c.fn === 'a')?.env.destroyed, true);
    assert.equal(created.find((c) => c.fn === 'b')?.env.destroyed, false);
  });

  it('respects the memory budget', async () => {
    const { p, created } = pool({ maxEnvironments: 10, memoryBudgetMb: 300 });
    const a = await p.acquire(record({ name: 'a', memoryMb: 200 }), 'sync');
    p.release(a.entry, true);
    await p.acquire(record({ name: 'b', memoryMb: 200 }), 'sync');
    assert.equal(created[0]?.env.destroyed, true);
    await assert.rejects(
      p.acquire(record({ name: 'huge', memoryMb: 400 }), 'sync'),
      InvokeSystemError,
    );
  });

  it('makes callers wait when nothing is idle, serving sync before async', async () => {
    const { p } = pool({ maxEnvironments: 1 });
    const busy = await p.acquire(record({ name: 'x' }), 'sync');
    const order: string[] = [];
    const asyncWait = p
      .acquire(record({ name: 'x' }), 'async')
      .then((r) => (order.push('async'), r));
    const syncWait = p.acquire(record({ name: 'x' }), 'sync').then((r) => (order.push('sync'), r));
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, []);
    p.release(busy.entry, true);
    const first = await syncWait;
    assert.deepEqual(order, ['sync']);
    p.release(first.entry, true);
    await asyncWait;
    assert.deepEqual(order, ['sync', 'async']);
  });

  it('stops waiting for capacity at the caller deadline', async () => {
    const { p } = pool({ maxEnvironments: 1 });
    const busy = await p.acquire(record({ name: 'x' }), 'sync');
    const started = Date.now();
    const waiting = p.acquire(record({ name: 'x' }), 'sync', 1_000 + 40);
    await assert.rejects(waiting, (err: InvokeSystemError) => err.failure === 'aborted');
    assert.ok(Date.now() - started >= 35, 'it waited until the deadline');
    // The one that gave up is no longer a waiter: the next release goes to the next caller.
    const next = p.acquire(record({ name: 'x' }), 'sync');
    p.release(busy.entry, true);
    assert.equal((await next).env, busy.env);
  });

  it('does not wait at all once the deadline has passed', async () => {
    const { p, tick } = pool({ maxEnvironments: 1 });
    await p.acquire(record({ name: 'x' }), 'sync');
    tick(100);
    await assert.rejects(
      p.acquire(record({ name: 'x' }), 'sync', 1_050),
      (err: InvokeSystemError) => err.failure === 'aborted',
    );
  });

  it('a waiter served before its deadline is not failed by it later', async () => {
    const { p } = pool({ maxEnvironments: 1 });
    const busy = await p.acquire(record({ name: 'x' }), 'sync');
    const waiting = p.acquire(record({ name: 'x' }), 'sync', 1_000 + 30);
    p.release(busy.entry, true);
    const served = await waiting;
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(served.env, busy.env);
    assert.equal(p.stats().busy, 1);
  });

  it('reaps environments idle past the timeout and forgets dead ones', async () => {
    const { p, created, tick } = pool();
    const a = await p.acquire(record({ name: 'a' }), 'sync');
    p.release(a.entry, true);
    tick(30_000);
    const b = await p.acquire(record({ name: 'b' }), 'sync');
    p.release(b.entry, true);
    tick(31_000);
    assert.equal(await p.reapIdle(), 1);
    assert.equal(created[0]?.env.destroyed, true);
    created[1]?.env.die();
    assert.equal(p.stats().idle, 0);
  });

  it('kills everything on shutdown and refuses new work', async () => {
    const { p, created } = pool();
    await p.acquire(record({ name: 'a' }), 'sync');
    await p.shutdown();
    assert.equal(created[0]?.env.destroyed, true);
    assert.equal(p.closing, true);
    await assert.rejects(p.acquire(record(), 'sync'), /shutting down/);
  });
});
