import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSilentLogger,
  type AliasRecord,
  type FunctionRecord,
  type ProvisionedConfig,
  type ProvisionedProgress,
} from '@lambdock/core';
import type { ProvisionedCount } from '../src/invoke/environment-pool.js';
import {
  createProvisionedReconciler,
  INIT_FAILURE_REASON,
} from '../src/provisioned/provisioned-reconciler.js';
import { record } from './helpers/records.js';

const config = (qualifier: string, requested: number): ProvisionedConfig => ({
  functionName: 'demo',
  qualifier,
  requested,
  lastModified: '2026-01-02T03:04:05.000+0000',
});

function setup(options: { leader?: boolean; startFails?: boolean } = {}) {
  const configs: ProvisionedConfig[] = [];
  const progress = new Map<string, ProvisionedProgress>();
  const counts = new Map<string, ProvisionedCount>();
  const started: FunctionRecord[] = [];
  const retired: Array<[string, string, number]> = [];
  let clock = 0;
  const reconciler = createProvisionedReconciler({
    store: {
      list: async () => configs,
      putProgress: async (name, qualifier, p) => void progress.set(`${name}:${qualifier}`, p),
      holdLock: async () => options.leader ?? true,
    },
    versions: {
      getVersion: async (name, version) =>
        version === '1' || version === '2' ? record({ name, version }) : undefined,
      getAlias: async (name, alias): Promise<AliasRecord | undefined> =>
        alias === 'live'
          ? {
              name: alias,
              functionName: name,
              functionVersion: '1',
              description: '',
              revisionId: 'r',
            }
          : undefined,
    },
    pool: {
      startProvisioned: (r) => {
        started.push(r);
        return options.startFails ? Promise.reject(new Error('exited')) : Promise.resolve();
      },
      provisionedCounts: () => counts,
      retireProvisioned: (name, version, keep) => void retired.push([name, version, keep]),
    },
    workerId: 'w1',
    lockTtlMs: 5000,
    retryDelayMs: 5000,
    logger: createSilentLogger(),
    now: () => clock,
  });
  return {
    reconciler,
    configs,
    progress,
    counts,
    started,
    retired,
    tick: (ms: number) => (clock += ms),
  };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('provisioned reconciler', () => {
  it('starts the missing environments of an alias’s version and reports IN_PROGRESS', async () => {
    const s = setup();
    s.configs.push(config('live', 2));
    await s.reconciler.tick();
    assert.deepEqual(
      s.started.map((r) => r.version),
      ['1', '1'],
    );
    assert.deepEqual(s.retired, [['demo', '1', 2]]);
    assert.deepEqual(s.progress.get('demo:live'), {
      requested: 2,
      allocated: 0,
      status: 'IN_PROGRESS',
    });
  });

  it('starts nothing more while environments are starting, and reports READY once all are up', async () => {
    const s = setup();
    s.configs.push(config('1', 2));
    s.counts.set('demo:1', { functionName: 'demo', version: '1', ready: 1, starting: 1 });
    await s.reconciler.tick();
    assert.equal(s.started.length, 0);
    s.counts.set('demo:1', { functionName: 'demo', version: '1', ready: 2, starting: 0 });
    await s.reconciler.tick();
    assert.deepEqual(s.progress.get('demo:1'), { requested: 2, allocated: 2, status: 'READY' });
  });

  it('retires the environments of a version whose config is gone', async () => {
    const s = setup();
    s.counts.set('demo:2', { functionName: 'demo', version: '2', ready: 1, starting: 0 });
    await s.reconciler.tick();
    assert.deepEqual(s.retired, [['demo', '2', 0]]);
  });

  it('keeps none without the lock', async () => {
    const s = setup({ leader: false });
    s.configs.push(config('1', 1));
    s.counts.set('demo:1', { functionName: 'demo', version: '1', ready: 1, starting: 0 });
    await s.reconciler.tick();
    assert.deepEqual(s.retired, [['demo', '1', 0]]);
    assert.equal(s.started.length, 0);
    assert.equal(s.progress.size, 0);
  });

  it('reports FAILED after an init failure and waits before trying again', async () => {
    const s = setup({ startFails: true });
    s.configs.push(config('1', 1));
    await s.reconciler.tick();
    await settle();
    await s.reconciler.tick();
    assert.equal(s.started.length, 1, 'no retry before the delay');
    assert.deepEqual(s.progress.get('demo:1'), {
      requested: 1,
      allocated: 0,
      status: 'FAILED',
      reason: INIT_FAILURE_REASON,
    });
    s.tick(5000);
    await s.reconciler.tick();
    assert.equal(s.started.length, 2);
  });

  it('skips a config whose alias or version no longer exists', async () => {
    const s = setup();
    s.configs.push(config('gone', 1), config('9', 1));
    await s.reconciler.tick();
    assert.equal(s.started.length, 0);
    assert.equal(s.progress.size, 0);
  });
});
