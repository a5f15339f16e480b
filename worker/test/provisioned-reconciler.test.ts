import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CAPACITY_REASON,
  createSilentLogger,
  EMPTY_ASSIGNMENT,
  INIT_FAILURE_REASON,
  type AliasRecord,
  type FunctionRecord,
  type ProvisionedConfig,
  type ProvisionedProgress,
  type WorkerReport,
} from '@lambdock/core';
import type { PoolEntry } from '../src/invoke/environment-pool.js';
import type { ProvisionedCount } from '../src/invoke/provisioned-slots.js';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import { createProvisionedReconciler } from '../src/provisioned/provisioned-reconciler.js';
import { record } from './helpers/records.js';

const config = (qualifier: string, requested: number): ProvisionedConfig => ({
  functionName: 'demo',
  qualifier,
  requested,
  lastModified: '2026-01-02T03:04:05.000+0000',
});

const alias = (name: string, weights?: Record<string, number>): AliasRecord => ({
  name,
  functionName: 'demo',
  functionVersion: '1',
  description: '',
  revisionId: 'r',
  ...(weights === undefined ? {} : { additionalVersionWeights: weights }),
});

/** What Redis holds, shared by the workers of one test. */
function fleetState() {
  return {
    configs: [] as ProvisionedConfig[],
    progress: new Map<string, ProvisionedProgress>(),
    live: new Set<string>(),
    assignment: EMPTY_ASSIGNMENT,
    reports: new Map<string, WorkerReport>(),
    lockHolder: undefined as string | undefined,
  };
}
type FleetState = ReturnType<typeof fleetState>;

function worker(
  state: FleetState,
  workerId: string,
  options: { startFails?: boolean; room?: { value: number }; clock?: { now: number } } = {},
) {
  const counts = new Map<string, ProvisionedCount>();
  const have = (version: string, ready: number, starting = 0): void =>
    void counts.set(`demo:${version}`, { functionName: 'demo', version, ready, starting });
  const started: FunctionRecord[] = [];
  const retired: Array<[string, string, number]> = [];
  const clock = options.clock ?? { now: 0 };
  let targets: ReadonlySet<string> = new Set();
  const reconciler = createProvisionedReconciler({
    store: {
      list: async () => state.configs,
      putProgress: async (name, qualifier, p) => void state.progress.set(`${name}:${qualifier}`, p),
      holdLock: async (holder) => {
        state.lockHolder ??= holder;
        return state.lockHolder === holder;
      },
    },
    fleet: {
      beat: async (id) => void state.live.add(id),
      leave: async (id) => void state.live.delete(id),
      liveWorkers: async () => [...state.live],
      assignment: async () => state.assignment,
      putAssignment: async (next) => void (state.assignment = next),
      putReport: async (id, report) => void state.reports.set(id, report),
      reports: async () => new Map(state.reports),
      sweep: async () => undefined,
    },
    offers: {
      snapshot: async () => ({ now: clock.now, offered: new Map(), claimed: new Map() }),
      dropClaims: async () => undefined,
      dropOffers: async () => undefined,
    },
    versions: {
      getVersion: async (name, version) =>
        version === '1' || version === '2' ? record({ name, version }) : undefined,
      getAlias: async (_name, name) =>
        name === 'live'
          ? alias('live')
          : name === 'canary'
            ? alias('canary', { '2': 0.2 })
            : undefined,
    },
    pool: {
      // A start that works is ready at once here.
      startProvisioned: (r) => {
        started.push(r);
        if (options.startFails) return Promise.reject(new Error('exited'));
        const total = [...counts.values()].reduce((sum, c) => sum + c.ready, 0);
        if (options.room !== undefined && total >= options.room.value)
          return Promise.reject(new InvokeSystemError('capacity', 'no room', true));
        const had = counts.get(`demo:${r.version ?? ''}`)?.ready ?? 0;
        have(r.version ?? '', had + 1);
        return Promise.resolve();
      },
      provisionedCounts: () => counts,
      retireProvisioned: (name, version, keep) => void retired.push([name, version, keep]),
      provisionedEntries: (): PoolEntry[] => [],
      reoffer: () => false,
      setProvisionedTargets: (keys) => void (targets = keys),
    },
    workerId,
    lockTtlMs: 5000,
    liveTtlMs: 5000,
    claimTtlMs: 5000,
    retryDelayMs: 5000,
    logger: createSilentLogger(),
    now: () => clock.now,
  });
  return { reconciler, counts, started, retired, have, clock, targets: () => targets };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));
const versionsOf = (started: FunctionRecord[]) => started.map((r) => r.version).sort();

describe('provisioned reconciler', () => {
  it('starts the missing environments of an alias’s version and reports IN_PROGRESS', async () => {
    const state = fleetState();
    const w = worker(state, 'w1');
    state.configs.push(config('live', 2));
    await w.reconciler.tick();
    assert.deepEqual(versionsOf(w.started), ['1', '1']);
    assert.deepEqual(state.progress.get('demo:live'), {
      requested: 2,
      allocated: 0,
      status: 'IN_PROGRESS',
    });
    assert.deepEqual([...w.targets()], ['demo:1']);
  });

  it('starts nothing more while environments are starting, and reports READY once all are up', async () => {
    const state = fleetState();
    const w = worker(state, 'w1');
    state.configs.push(config('1', 2));
    w.have('1', 1, 1);
    await w.reconciler.tick();
    assert.equal(w.started.length, 0);
    w.have('1', 2);
    await w.reconciler.tick();
    await w.reconciler.tick();
    assert.deepEqual(state.progress.get('demo:1'), { requested: 2, allocated: 2, status: 'READY' });
  });

  it('splits a weighted alias between its versions: 80/20 of 5 is 4 + 1', async () => {
    const state = fleetState();
    const w = worker(state, 'w1');
    state.configs.push(config('canary', 5));
    await w.reconciler.tick();
    assert.deepEqual(versionsOf(w.started), ['1', '1', '1', '1', '2']);
    w.have('1', 4);
    w.have('2', 1);
    await w.reconciler.tick();
    await w.reconciler.tick();
    assert.equal(state.progress.get('demo:canary')?.status, 'READY');
  });

  it('spreads a count over the live workers, each starting its own share', async () => {
    const state = fleetState();
    const a = worker(state, 'a');
    const b = worker(state, 'b');
    state.configs.push(config('live', 3));
    state.live.add('a').add('b');
    state.lockHolder = 'a';
    await a.reconciler.tick();
    await b.reconciler.tick();
    assert.deepEqual(versionsOf(a.started), ['1', '1']);
    assert.deepEqual(versionsOf(b.started), ['1']);
  });

  it('keeps a worker’s extras until the worker taking them over has them ready', async () => {
    const state = fleetState();
    const a = worker(state, 'a');
    state.configs.push(config('1', 2));
    a.have('1', 2);
    await a.reconciler.tick();
    await a.reconciler.tick();
    assert.equal(state.progress.get('demo:1')?.status, 'READY');
    const b = worker(state, 'b');
    await b.reconciler.tick();
    await a.reconciler.tick();
    assert.deepEqual(a.retired.at(-1), ['demo', '1', 2], 'a keeps both while b starts');
    await b.reconciler.tick();
    assert.equal(b.started.length, 1);
    await a.reconciler.tick();
    assert.deepEqual(a.retired.at(-1), ['demo', '1', 1], 'a lets one go once b has one ready');
    assert.equal(state.progress.get('demo:1')?.status, 'READY');
  });

  it('moves a dead worker’s share to the live ones', async () => {
    const state = fleetState();
    const a = worker(state, 'a');
    const b = worker(state, 'b');
    state.configs.push(config('1', 2));
    state.live.add('a').add('b');
    await a.reconciler.tick();
    await b.reconciler.tick();
    assert.deepEqual([a.started.length, b.started.length], [1, 1]);
    state.live.delete('b'); // b's liveness expired
    await a.reconciler.tick();
    assert.equal(a.started.length, 2);
  });

  it('retires the environments of a version whose config is gone', async () => {
    const state = fleetState();
    const w = worker(state, 'w1');
    w.have('2', 1);
    await w.reconciler.tick();
    assert.deepEqual(w.retired, [['demo', '2', 0]]);
  });

  it('keeps none when the plan gives it none, and none once stopped', async () => {
    const state = fleetState();
    state.lockHolder = 'other';
    const w = worker(state, 'w1');
    state.configs.push(config('1', 1));
    w.have('1', 1);
    await w.reconciler.tick();
    assert.deepEqual(w.retired, [['demo', '1', 0]]);
    assert.equal(w.started.length, 0);
    assert.equal(state.progress.size, 0);
    await w.reconciler.stop();
    assert.equal(state.live.has('w1'), false);
  });

  it('reports FAILED after an init failure and waits before trying again', async () => {
    const state = fleetState();
    const w = worker(state, 'w1', { startFails: true });
    state.configs.push(config('1', 1));
    await w.reconciler.tick();
    await settle();
    await w.reconciler.tick();
    await w.reconciler.tick();
    assert.equal(w.started.length, 1, 'no retry before the delay');
    assert.deepEqual(state.progress.get('demo:1'), {
      requested: 1,
      allocated: 0,
      status: 'FAILED',
      reason: INIT_FAILURE_REASON,
    });
    w.clock.now += 5000;
    await w.reconciler.tick();
    assert.equal(w.started.length, 2);
  });

  it('reports FAILED with the capacity reason while its pool has no room, READY once it has', async () => {
    const state = fleetState();
    const room = { value: 2 };
    const w = worker(state, 'w1', { room });
    state.configs.push(config('1', 3));
    await w.reconciler.tick();
    await settle();
    await w.reconciler.tick();
    assert.deepEqual(state.progress.get('demo:1'), {
      requested: 3,
      allocated: 2,
      status: 'FAILED',
      reason: CAPACITY_REASON,
    });
    // Room frees up (a busy environment was reaped): the next try after the delay fits.
    room.value = 3;
    w.clock.now += 5000;
    await w.reconciler.tick();
    await settle();
    await w.reconciler.tick();
    assert.equal(state.progress.get('demo:1')?.status, 'READY');
  });

  it('skips a config whose alias or version no longer exists', async () => {
    const state = fleetState();
    const w = worker(state, 'w1');
    state.configs.push(config('gone', 1), config('9', 1));
    await w.reconciler.tick();
    assert.equal(w.started.length, 0);
    assert.equal(state.progress.size, 0);
  });
});
