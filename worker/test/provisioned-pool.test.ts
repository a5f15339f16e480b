import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger, type FunctionRecord } from '@lambdock/core';
import { createEnvironmentPool } from '../src/invoke/environment-pool.js';
import type { ExecutionEnvironment } from '../src/invoke/environment.js';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import { record } from './helpers/records.js';

interface FakeEnv extends ExecutionEnvironment {
  destroyed: boolean;
  provisioned: boolean;
  die(): void;
}

function pool(options: { max?: number; initFails?: boolean } = {}) {
  const created: FakeEnv[] = [];
  let clock = 1_000;
  const p = createEnvironmentPool({
    maxEnvironments: options.max ?? 4,
    memoryBudgetMb: 4096,
    idleTimeoutMs: 60_000,
    logger: createSilentLogger(),
    now: () => clock,
    create: async (_r: FunctionRecord, id: string, opts?: { provisioned: boolean }) => {
      const listeners: Array<() => void> = [];
      const env: FakeEnv = {
        id,
        destroyed: false,
        provisioned: opts?.provisioned ?? false,
        get dead() {
          return env.destroyed;
        },
        invoke: () => Promise.reject(new Error('not used')),
        destroy: async () => void (env.destroyed = true),
        onDeath: (l) => void listeners.push(l),
        awaitInit: () =>
          options.initFails ? Promise.reject(new Error('init failed')) : Promise.resolve(),
        die: () => {
          env.destroyed = true;
          for (const l of listeners) l();
        },
      };
      created.push(env);
      return env;
    },
  });
  return { p, created, tick: (ms: number) => (clock += ms) };
}

const v1 = record({ version: '1' });

describe('provisioned environments in the pool', () => {
  it('starts them initialized and idle, created as provisioned', async () => {
    const { p, created } = pool();
    await p.startProvisioned(v1);
    await p.startProvisioned(v1);
    assert.deepEqual(
      created.map((e) => e.provisioned),
      [true, true],
    );
    assert.deepEqual(p.stats(), { starting: 0, idle: 2, busy: 0, memoryMb: 256 });
    assert.deepEqual(
      [...p.provisionedCounts().values()],
      [{ functionName: 'demo', version: '1', ready: 2, starting: 0 }],
    );
  });

  it('serves a provisioned environment before an on-demand one, then spills over', async () => {
    const { p } = pool();
    const onDemand = await p.acquire(v1, 'sync');
    p.release(onDemand.entry, true);
    await p.startProvisioned(v1);
    const first = await p.acquire(v1, 'sync');
    assert.deepEqual([first.provisioned, first.spillover, first.cold], [true, false, false]);
    assert.deepEqual(p.provisionedUsage(), { busy: 1, total: 1 });
    const second = await p.acquire(v1, 'sync');
    assert.equal(second.env, onDemand.env);
    assert.deepEqual([second.provisioned, second.spillover], [false, true]);
  });

  it('counts no spillover for a version without provisioned environments', async () => {
    const { p } = pool();
    const a = await p.acquire(v1, 'sync');
    assert.deepEqual([a.provisioned, a.spillover], [false, false]);
  });

  it('never reaps or evicts them', async () => {
    const { p, created, tick } = pool({ max: 2 });
    await p.startProvisioned(v1);
    tick(120_000);
    assert.equal(await p.reapIdle(), 0);
    const other = await p.acquire(record({ name: 'other' }), 'sync');
    p.release(other.entry, true);
    // Full: the idle on-demand one goes, the provisioned one stays.
    await p.acquire(record({ name: 'third' }), 'sync');
    assert.deepEqual(
      created.map((e) => e.destroyed),
      [false, true, false],
    );
  });

  it('retires idle extras and unmarks busy ones when the count drops', async () => {
    const { p, created } = pool();
    await p.startProvisioned(v1);
    await p.startProvisioned(v1);
    const busy = await p.acquire(v1, 'sync');
    p.retireProvisioned('demo', '1', 0);
    assert.deepEqual(
      created.map((e) => e.destroyed),
      [false, true],
    );
    assert.equal(busy.entry.provisioned, false);
    assert.deepEqual([...p.provisionedCounts().values()], []);
  });

  it('forgets one that dies, so it can be replaced', async () => {
    const { p, created } = pool();
    await p.startProvisioned(v1);
    created[0]?.die();
    assert.deepEqual([...p.provisionedCounts().values()], []);
  });

  it('removes and destroys one whose init fails', async () => {
    const { p, created } = pool({ initFails: true });
    await assert.rejects(p.startProvisioned(v1), /init failed/);
    assert.equal(created[0]?.destroyed, true);
    assert.deepEqual(p.stats(), { starting: 0, idle: 0, busy: 0, memoryMb: 0 });
  });

  it('refuses when the pool is full of busy environments', async () => {
    const { p } = pool({ max: 1 });
    await p.acquire(record({ name: 'other' }), 'sync');
    await assert.rejects(p.startProvisioned(v1), InvokeSystemError);
  });
});
