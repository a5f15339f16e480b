import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { createMetrics } from '../src/metrics.js';

describe('worker app', () => {
  it('answers liveness always and readiness only when ready', async () => {
    const app = createApp({ metrics: createMetrics(), isReady: async () => false });
    assert.equal((await request(app).get('/healthz')).status, 200);
    assert.equal((await request(app).get('/readyz')).status, 503);
    const ready = createApp({ metrics: createMetrics(), isReady: async () => true });
    assert.equal((await request(ready).get('/readyz')).status, 200);
  });

  it('serves every worker metric family from its own registry', async () => {
    const metrics = createMetrics();
    metrics.invocations.inc({ function: 'demo', outcome: 'success' });
    metrics.environments.set({ state: 'idle' }, 2);
    const res = await request(createApp({ metrics, isReady: async () => true })).get('/metrics');
    assert.equal(res.status, 200);
    for (const name of [
      'lambdock_worker_invocations_total',
      'lambdock_worker_function_errors_total',
      'lambdock_worker_invoke_duration_seconds',
      'lambdock_cold_starts_total',
      'lambdock_init_duration_seconds',
      'lambdock_concurrent_executions',
      'lambdock_environments',
      'lambdock_worker_throttles_total',
      'lambdock_worker_queue_wait_seconds',
      'lambdock_worker_jobs_stalled_total',
      'lambdock_worker_orphan_containers_reaped_total',
      'lambdock_worker_up',
    ]) {
      assert.match(res.text, new RegExp(`^# TYPE ${name} `, 'm'), name);
    }
    assert.match(
      res.text,
      /^lambdock_worker_invocations_total\{function="demo",outcome="success",service="worker"\} 1$/m,
    );
    assert.match(res.text, /^lambdock_environments\{state="idle",service="worker"\} 2$/m);
  });

  it('reads the environment gauges from the pool at each scrape', async () => {
    const metrics = createMetrics();
    const pool = { starting: 1, idle: 2, busy: 3, provisioned: { busy: 1, total: 4 } };
    metrics.observePool({ stats: () => pool, provisionedUsage: () => pool.provisioned });
    const app = createApp({ metrics, isReady: async () => true });
    const scrape = async (): Promise<string> => (await request(app).get('/metrics')).text;
    const first = await scrape();
    assert.match(first, /^lambdock_environments\{state="starting",service="worker"\} 1$/m);
    assert.match(first, /^lambdock_environments\{state="idle",service="worker"\} 2$/m);
    assert.match(first, /^lambdock_environments\{state="busy",service="worker"\} 3$/m);
    assert.match(first, /^lambdock_provisioned_concurrency_utilization\{service="worker"\} 0.25$/m);
    Object.assign(pool, { idle: 5, busy: 0, provisioned: { busy: 0, total: 0 } });
    const second = await scrape();
    assert.match(second, /^lambdock_environments\{state="idle",service="worker"\} 5$/m);
    assert.match(second, /^lambdock_environments\{state="busy",service="worker"\} 0$/m);
    assert.match(second, /^lambdock_provisioned_concurrency_utilization\{service="worker"\} 0$/m);
  });

  it('answers 404 elsewhere', async () => {
    const res = await request(
      createApp({ metrics: createMetrics(), isReady: async () => true }),
    ).get('/nope');
    assert.equal(res.status, 404);
  });
});
