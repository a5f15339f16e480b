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

  it('answers 404 elsewhere', async () => {
    const res = await request(
      createApp({ metrics: createMetrics(), isReady: async () => true }),
    ).get('/nope');
    assert.equal(res.status, 404);
  });
});
