import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { createMetrics } from '../src/metrics.js';

describe('scheduler app', () => {
  it('answers liveness while not ready, and readiness 503 when Redis is not ready', async () => {
    const app = createApp({ metrics: createMetrics(), isReady: async () => false });
    const live = await request(app).get('/healthz');
    assert.equal(live.status, 200);
    const ready = await request(app).get('/readyz');
    assert.equal(ready.status, 503);
  });

  it('serves its own metric registry', async () => {
    const metrics = createMetrics();
    metrics.up.set(1);
    const res = await request(createApp({ metrics, isReady: async () => true })).get('/metrics');
    assert.equal(res.status, 200);
    assert.match(res.text, /^lambdock_scheduler_up\{service="scheduler"\} 1$/m);
  });
});

describe('scheduler config', () => {
  it('applies defaults from an empty environment', () => {
    const config = loadConfig({});
    assert.equal(config.port, 9102);
    assert.equal(config.redisUrl, 'redis://127.0.0.1:6379');
  });

  it('reports every bad variable at once', () => {
    assert.throws(
      () => loadConfig({ SCHEDULER_PORT: 'x', REDIS_URL: 'http://nope', LAMBDOCK_ACCOUNT_ID: '1' }),
      (err: Error & { problems?: string[] }) => err.problems?.length === 3,
    );
  });
});
