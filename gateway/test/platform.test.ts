import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ConfigError, envVarNames } from '@lambdock/core';
import { GATEWAY_ENV, loadConfig } from '../src/config.js';
import { activeRecord, createTestGateway, reply, seed } from './helpers/test-app.js';

describe('request ids', () => {
  it('generates a UUID and echoes it as x-amzn-RequestId on success and on errors', async () => {
    const gw = createTestGateway();
    for (const path of ['/healthz', '/2015-03-31/functions/missing']) {
      const res = await request(gw.app).get(path);
      assert.match(
        res.headers['x-amzn-requestid'] ?? '',
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
    }
  });

  it('keeps a short, safe incoming id and uses it as the invocation id', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    gw.queue.worker = (job) => reply({ requestId: job.requestId }, 'null');
    const res = await request(gw.app)
      .post('/2015-03-31/functions/demo/invocations')
      .set('x-request-id', 'abc-123.x_y')
      .send('{}');
    assert.equal(res.headers['x-amzn-requestid'], 'abc-123.x_y');
    assert.equal(gw.queue.sync[0]?.requestId, 'abc-123.x_y');
  });

  it('replaces an unsafe or overlong incoming id', async () => {
    const gw = createTestGateway();
    for (const bad of ['a b', 'x'.repeat(65), '<script>', 'id\\n', '12345', '-7']) {
      const res = await request(gw.app).get('/healthz').set('x-amzn-requestid', bad);
      assert.notEqual(res.headers['x-amzn-requestid'], bad);
      assert.match(res.headers['x-amzn-requestid'] ?? '', /^[0-9a-f-]{36}$/);
    }
  });
});

describe('unknown routes', () => {
  it('answers 404 UnknownOperationException', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app).get('/2099-01-01/nothing');
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-amzn-errortype'], 'UnknownOperationException');
    assert.deepEqual(res.body, { message: 'Unknown operation: GET /2099-01-01/nothing' });
  });
});

describe('health and metrics', () => {
  it('separates liveness from readiness', async () => {
    const gw = createTestGateway();
    await request(gw.app).get('/healthz').expect(200, { status: 'ok' });
    await request(gw.app).get('/readyz').expect(200, { status: 'ready' });
    gw.ready.value = false;
    await request(gw.app).get('/healthz').expect(200);
    await request(gw.app).get('/readyz').expect(503, { status: 'not-ready' });
  });

  it('exposes invocation, throttle, HTTP and queue-depth metrics', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    gw.queue.worker = (job) => reply({ requestId: job.requestId, outcome: 'function-error' }, '{}');
    await request(gw.app).post('/2015-03-31/functions/demo/invocations').send('{}').expect(200);
    gw.leases.refuse = { ok: false, reason: 'ConcurrentInvocationLimitExceeded' };
    await request(gw.app).post('/2015-03-31/functions/demo/invocations').send('{}').expect(429);
    const res = await request(gw.app).get('/metrics').expect(200);
    assert.match(res.headers['content-type'] ?? '', /^text\/plain/);
    const text = res.text;
    assert.match(text, /lambdock_invocations_total\{function="demo",outcome="function-error"\} 1/);
    assert.match(text, /lambdock_invocations_total\{function="demo",outcome="throttled"\} 1/);
    assert.match(text, /lambdock_invoke_errors_total\{function="demo"\} 1/);
    assert.match(
      text,
      /lambdock_throttles_total\{function="demo",reason="ConcurrentInvocationLimitExceeded"\} 1/,
    );
    assert.match(text, /lambdock_invoke_duration_seconds_count 2/);
    assert.match(text, /http_requests_total\{route="Invoke",method="POST",status="429"\} 1/);
    assert.match(text, /lambdock_queue_depth\{queue="invoke-sync"\} 1/);
    assert.match(text, /http_request_duration_seconds_bucket/);
  });
});

describe('function logs', () => {
  it('returns events oldest first and a token to follow', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    gw.logs.entries.set('demo', [
      { id: '1-0', requestId: 'r1', timestamp: 1, text: 'START', logStream: 's' },
      { id: '2-0', requestId: 'r1', timestamp: 2, text: 'END', logStream: 's' },
      { id: '3-0', requestId: 'r2', timestamp: 3, text: 'START', logStream: 's' },
    ]);
    const first = await request(gw.app).get('/2015-03-31/functions/demo/logs?limit=2').expect(200);
    assert.deepEqual(first.body, {
      events: [
        { id: '1-0', requestId: 'r1', timestamp: 1, message: 'START' },
        { id: '2-0', requestId: 'r1', timestamp: 2, message: 'END' },
      ],
      nextToken: '2-0',
    });
    const next = await request(gw.app).get('/2015-03-31/functions/demo/logs?after=2-0').expect(200);
    assert.deepEqual(
      (next.body as { events: Array<{ id: string }> }).events.map((e) => e.id),
      ['3-0'],
    );
    const idle = await request(gw.app).get('/2015-03-31/functions/demo/logs?after=3-0').expect(200);
    assert.deepEqual(idle.body, { events: [], nextToken: '3-0' });
  });

  it('refuses a bad limit or token and an unknown function', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    await request(gw.app).get('/2015-03-31/functions/demo/logs?limit=0').expect(400);
    await request(gw.app).get('/2015-03-31/functions/demo/logs?after=abc').expect(400);
    await request(gw.app).get('/2015-03-31/functions/missing/logs').expect(404);
  });
});

describe('loadConfig', () => {
  it('applies the documented defaults', () => {
    const config = loadConfig({});
    assert.equal(config.port, 8080);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.syncPayloadLimitBytes, 6_291_456);
    assert.equal(config.asyncPayloadLimitBytes, 1_048_576);
    assert.equal(config.syncReplyGraceMs, 30_000);
    assert.equal(config.gatewayId, undefined);
    assert.ok(Object.isFrozen(config));
  });

  it('reports every problem at once', () => {
    assert.throws(
      () =>
        loadConfig({
          GATEWAY_PORT: 'eighty',
          SYNC_PAYLOAD_LIMIT_BYTES: '0',
          REDIS_TIMEOUT_MS: '-1',
        }),
      (err: unknown) => err instanceof ConfigError && err.problems.length === 3,
    );
  });

  it('declares the gateway variables by name', () => {
    const names = envVarNames(GATEWAY_ENV);
    for (const name of [
      'GATEWAY_PORT',
      'GATEWAY_HOST',
      'SYNC_PAYLOAD_LIMIT_BYTES',
      'ASYNC_PAYLOAD_LIMIT_BYTES',
      'SYNC_REPLY_GRACE_MS',
      'LEASE_TTL_MS',
      'REDIS_TIMEOUT_MS',
      'DRAIN_TIMEOUT_MS',
      'GATEWAY_ID',
      'REDIS_URL',
    ]) {
      assert.ok(names.includes(name), name);
    }
  });
});
