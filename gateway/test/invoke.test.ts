import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ERRORS } from '@lambdock/core';
import {
  activeGateway,
  activeRecord,
  arn,
  createTestGateway,
  invokePath,
  reply,
  seed,
} from './helpers/test-app.js';

describe('Invoke RequestResponse', () => {
  it('returns the function bytes with X-Amz-Executed-Version and the reply content type', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) =>
      reply({ requestId: job.requestId, contentType: 'text/plain' }, `echo:${job.payload}`);
    const res = await request(gw.app)
      .post(invokePath('demo'))
      .set('content-type', 'application/octet-stream')
      .send('{"a":1}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-executed-version'], '$LATEST');
    assert.equal(res.headers['x-amz-function-error'], undefined);
    assert.equal(res.headers['content-type'], 'text/plain');
    assert.equal(res.text, 'echo:{"a":1}');
    assert.equal(res.headers['x-amzn-requestid'], gw.queue.sync[0]?.requestId);
  });

  it('queues a job that carries the reply channel, a lease, a deadline and the ARN invoked', async () => {
    const gw = await activeGateway({ SYNC_REPLY_GRACE_MS: '1000' });
    gw.queue.worker = (job) => reply({ requestId: job.requestId }, 'null');
    const before = Date.now();
    await request(gw.app)
      .post(invokePath(encodeURIComponent(arn('demo', '$LATEST'))))
      .send('{}')
      .expect(200);
    const job = gw.queue.sync[0];
    assert.ok(job);
    assert.equal(job.replyTo, 'lambdock:reply:test');
    assert.equal(job.functionName, 'demo');
    assert.equal(job.qualifier, '$LATEST');
    assert.equal(job.invokedArn, arn('demo', '$LATEST'));
    assert.ok(job.leaseId !== undefined && job.leaseId.length > 0);
    assert.ok(job.acceptedAt >= before);
    assert.equal(job.replyDeadline, job.acceptedAt + 3000 + 1000);
    assert.deepEqual(gw.replies.timeouts, [4000]);
  });

  it('hands an empty body to the function as {}', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) => reply({ requestId: job.requestId }, 'null');
    await request(gw.app).post(invokePath('demo')).expect(200);
    assert.equal(gw.queue.sync[0]?.payload, '{}');
  });

  it('flags a function error with X-Amz-Function-Error: Unhandled and still answers 200', async () => {
    const gw = await activeGateway();
    const payload =
      '{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 3.00 seconds"}';
    gw.queue.worker = (job) =>
      reply({ requestId: job.requestId, outcome: 'function-error' }, payload);
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-function-error'], 'Unhandled');
    assert.equal(res.text, payload);
  });

  it('returns X-Amz-Log-Result only when Tail was asked for', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) => reply({ requestId: job.requestId, logResult: 'U1RBUlQ=' }, 'null');
    const tail = await request(gw.app)
      .post(invokePath('demo'))
      .set('x-amz-log-type', 'Tail')
      .send('{}');
    assert.equal(tail.headers['x-amz-log-result'], 'U1RBUlQ=');
    assert.equal(gw.queue.sync[0]?.logTail, true);
    const none = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(none.headers['x-amz-log-result'], undefined);
  });

  it('renders the error a worker rejected the invocation with', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) =>
      reply(
        {
          requestId: job.requestId,
          outcome: 'rejected',
          error: {
            code: ERRORS.THROTTLED.code,
            message: 'Rate Exceeded.',
            fields: { Reason: 'ConcurrentInvocationLimitExceeded' },
          },
        },
        '',
      );
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 429);
    assert.deepEqual(res.body, {
      Type: 'User',
      message: 'Rate Exceeded.',
      Reason: 'ConcurrentInvocationLimitExceeded',
    });
    const counted = await gw.metrics.registry.getSingleMetric('lambdock_invocations_total')?.get();
    assert.deepEqual(
      counted?.values.map((v) => [v.labels.outcome, v.value]),
      [['throttled', 1]],
      'the refusal is counted once',
    );
  });

  it('answers 429 with the Reason and queues nothing when no lease is free', async () => {
    const gw = await activeGateway();
    gw.leases.refuse = { ok: false, reason: 'ReservedFunctionConcurrentInvocationLimitExceeded' };
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 429);
    assert.equal(res.headers['x-amzn-errortype'], 'TooManyRequestsException');
    assert.deepEqual(res.body, {
      Type: 'User',
      message: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    assert.equal(gw.queue.sync.length, 0);
  });

  it('falls back to the reply the worker kept when the published one never arrived', async () => {
    const gw = await activeGateway();
    gw.queue.fallback = {
      state: 'completed',
      reply: {
        header: { requestId: 'x', outcome: 'success', executedVersion: '$LATEST' },
        payload: Buffer.from('"late"'),
      },
    };
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 200);
    assert.equal(res.text, '"late"');
    // The worker that finished the job released its lease; the gateway must not touch it.
    assert.equal(gw.leases.released.length, 0);
  });

  it('releases the lease and answers 500 when no worker took the job', async () => {
    const gw = await activeGateway();
    gw.queue.fallback = { state: 'withdrawn' };
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 500);
    assert.deepEqual(res.body, {
      Type: 'Service',
      Message: 'The invocation did not complete in time.',
    });
    assert.equal(gw.leases.held.size, 0);
    assert.deepEqual(gw.queue.settled, [{ requestId: gw.queue.sync[0]?.requestId, route: {} }]);
  });

  it('stops waiting for the reply, and gives the lease back, when the caller leaves', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo', { timeoutS: 900 }));
    gw.queue.holdSilent = true;
    const server = createServer(gw.app).listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const until = async (what: string, done: () => boolean): Promise<void> => {
      for (const end = Date.now() + 5000; !done(); await sleep(10))
        assert.ok(Date.now() < end, `${what} within 5 s`);
    };
    try {
      const req = httpRequest({ port, method: 'POST', path: invokePath('demo') });
      req.on('error', () => undefined);
      req.end('{}');
      await until('the wait starts', () => gw.replies.pending === 1);
      assert.equal(gw.leases.held.size, 1);
      req.destroy();
      // The function may run for 15 minutes: only the caller's leaving ends the wait this soon.
      await until('the wait ends', () => gw.replies.pending === 0);
      await until('the lease is back', () => gw.leases.held.size === 0);
    } finally {
      server.close();
    }
  });

  it('keeps the lease when a worker still runs the job', async () => {
    const gw = await activeGateway();
    gw.queue.fallback = { state: 'running' };
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 500);
    assert.equal(gw.leases.held.size, 1);
  });

  it('answers 503, never 200, and releases the lease when Redis does not take the job', async () => {
    const gw = await activeGateway();
    gw.queue.down = true;
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 503);
    assert.equal(res.headers['x-amzn-errortype'], 'ServiceException');
    assert.equal(gw.leases.held.size, 0);
    assert.equal(gw.replies.pending, 0);
  });

  it('passes a valid client context on, decoded', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) => reply({ requestId: job.requestId }, 'null');
    const context = JSON.stringify({ custom: { a: 'b' } });
    await request(gw.app)
      .post(invokePath('demo'))
      .set('x-amz-client-context', Buffer.from(context).toString('base64'))
      .send('{}')
      .expect(200);
    assert.equal(gw.queue.sync[0]?.clientContext, context);
  });
});

describe('Invoke Event and DryRun', () => {
  it('answers 202 with an empty body once the job is queued', async () => {
    const gw = await activeGateway();
    const res = await request(gw.app)
      .post(invokePath('demo'))
      .set('x-amz-invocation-type', 'Event')
      .send('{"k":1}');
    assert.equal(res.status, 202);
    assert.equal(res.text, '');
    assert.equal(res.headers['x-amz-executed-version'], undefined);
    const job = gw.queue.async[0];
    assert.equal(job?.requestId, res.headers['x-amzn-requestid']);
    assert.equal(job?.payload, '{"k":1}');
    assert.equal(job?.replyTo, undefined);
    assert.equal(job?.leaseId, undefined);
    assert.equal(gw.leases.held.size, 0);
  });

  it('answers 503, never 202, when Redis does not take the job', async () => {
    const gw = await activeGateway();
    gw.queue.down = true;
    const res = await request(gw.app)
      .post(invokePath('demo'))
      .set('x-amz-invocation-type', 'Event')
      .send('{}');
    assert.equal(res.status, 503);
    assert.deepEqual(res.body, { Type: 'Service', Message: 'The service is unavailable; retry.' });
  });

  it('answers 204 for DryRun and queues nothing', async () => {
    const gw = await activeGateway();
    const res = await request(gw.app)
      .post(invokePath('demo'))
      .set('x-amz-invocation-type', 'DryRun');
    assert.equal(res.status, 204);
    assert.equal(gw.queue.sync.length + gw.queue.async.length, 0);
  });
});

describe('Invoke refusals', () => {
  const cases: Array<
    [string, (r: request.Test) => request.Test, string, number, string, Record<string, unknown>]
  > = [
    [
      'an unknown function, with the $LATEST-qualified ARN',
      (r) => r,
      'missing',
      404,
      'ResourceNotFoundException',
      { Type: 'User', Message: `Function not found: ${arn('missing', '$LATEST')}` },
    ],
    [
      'a version that does not exist',
      (r) => r.query({ Qualifier: '3' }),
      'demo',
      404,
      'ResourceNotFoundException',
      { Type: 'User', Message: `Function not found: ${arn('demo', '3')}` },
    ],
    [
      'an alias that does not exist',
      (r) => r.query({ Qualifier: 'non-existent-alias' }),
      'demo',
      404,
      'ResourceNotFoundException',
      { Type: 'User', Message: `Function not found: ${arn('demo', 'non-existent-alias')}` },
    ],
    [
      'an unknown invocation type',
      (r) => r.set('x-amz-invocation-type', 'Sometimes'),
      'demo',
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value 'Sometimes' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]",
      },
    ],
    [
      'an unknown log type',
      (r) => r.set('x-amz-log-type', 'All'),
      'demo',
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value 'All' at 'logType' failed to satisfy constraint: Member must satisfy enum value set: [None, Tail]",
      },
    ],
    [
      'a client context that is not base64 JSON',
      (r) => r.set('x-amz-client-context', Buffer.from('not json').toString('base64')),
      'demo',
      400,
      'InvalidParameterValueException',
      { Type: 'User', message: 'Client context must be a valid Base64-encoded JSON object.' },
    ],
    [
      'a client context over 3583 bytes',
      (r) =>
        r.set(
          'x-amz-client-context',
          Buffer.from(JSON.stringify({ a: 'x'.repeat(3000) })).toString('base64'),
        ),
      'demo',
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message: 'Client context must be at most 3583 bytes of Base64-encoded data.',
      },
    ],
  ];
  for (const [label, decorate, name, status, errorType, body] of cases) {
    it(`refuses ${label}`, async () => {
      const gw = await activeGateway();
      const res = await decorate(request(gw.app).post(invokePath(name))).send('{}');
      assert.equal(res.status, status);
      assert.equal(res.headers['x-amzn-errortype'], errorType);
      assert.deepEqual(res.body, body);
      assert.equal(gw.queue.sync.length + gw.queue.async.length, 0);
    });
  }

  for (const state of ['Pending', 'Failed'] as const) {
    it(`refuses a ${state} function with 409`, async () => {
      const gw = createTestGateway();
      await seed(gw, activeRecord('demo', { state }));
      const res = await request(gw.app).post(invokePath('demo')).send('{}');
      assert.equal(res.status, 409);
      assert.deepEqual(res.body, {
        Type: 'User',
        message: `The operation cannot be performed at this time. The function is currently in the following state: ${state}`,
      });
    });
  }
});
