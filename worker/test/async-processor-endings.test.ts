import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UnrecoverableError } from 'bullmq';
import { THROTTLE_REASONS } from '@lambdock/core';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import { reasonLeases } from './helpers/async-events.js';
import {
  ARN,
  DLQ,
  FAILURE,
  ON_FAILURE,
  failing,
  runToEnd,
  setup,
} from './helpers/async-processor.js';
import { fakeInvoker, fakeJob, result } from './helpers/jobs.js';

describe('async invoke jobs: how an event ends', () => {
  it('drops an event older than its maximum age without running it', async () => {
    const s = setup({
      deadLetter: DLQ,
      events: { config: { maximumEventAgeInSeconds: 60, onFailure: ON_FAILURE } },
    });
    s.clock.advance(61_000);
    assert.equal(await s.processor(fakeJob(s.data), 'token'), null);
    assert.equal(s.invoker.seen.length, 0);
    const r = s.stored();
    assert.deepEqual([r.Status, r.Condition, r.Attempts], ['dropped', 'EventAgeExceeded', []]);
    assert.deepEqual(s.events.sent[0]?.payload, {
      kind: 'record',
      record: {
        version: '1.0',
        timestamp: r.FinishedAt,
        requestContext: {
          requestId: 'req-1',
          functionArn: ARN,
          condition: 'EventAgeExceeded',
          approximateInvokeCount: 0,
        },
        requestPayload: { a: 1 },
      },
    });
    assert.deepEqual(s.events.sent[1]?.payload, {
      kind: 'dead-letter',
      event: '{"a":1}',
      attributes: {
        ErrorCode: { DataType: 'Number', StringValue: '503' },
        ErrorMessage: {
          DataType: 'String',
          StringValue: 'The event exceeded its maximum event age before it could run.',
        },
        RequestID: { DataType: 'String', StringValue: 'req-1' },
      },
    });
    assert.match(
      await s.metrics.registry.metrics(),
      /lambdock_async_events_dropped_total\{function="demo",reason="EventAgeExceeded",service="worker"\} 1/,
    );
  });

  it('ends as EventAgeExceeded at once when the next retry would come after the maximum age', async () => {
    const s = setup({
      invoker: failing(),
      events: { config: { maximumEventAgeInSeconds: 90, onFailure: ON_FAILURE } },
    });
    // Lambda's spacing: the retry at 60 s fits in 90 s, the one at 180 s does not.
    assert.equal(await runToEnd(s), 2);
    const r = s.stored();
    assert.deepEqual(
      [r.Status, r.Condition, r.Attempts.length],
      ['dropped', 'EventAgeExceeded', 2],
    );
    const sent = s.events.sent[0]?.payload;
    assert.ok(sent?.kind === 'record');
    assert.equal(sent.record.requestContext.approximateInvokeCount, 2);
    assert.deepEqual(sent.record.responseContext, {
      statusCode: 200,
      executedVersion: '$LATEST',
      functionError: 'Unhandled',
    });
  });

  it('retries a platform error later without spending a function retry', async () => {
    let calls = 0;
    const invoker = fakeInvoker(async () => {
      calls += 1;
      if (calls === 1) throw new InvokeSystemError('engine', 'docker down', true);
      return result({ outcome: 'function-error', payload: FAILURE, errorType: 'MyError' });
    });
    const s = setup({ invoker, events: { config: { maximumRetryAttempts: 1 } } });
    assert.equal(await runToEnd(s), 3);
    assert.deepEqual(
      s.stored().Attempts.map((a) => [a.Outcome, a.ErrorType]),
      [
        ['PlatformError', 'LDK_ERR_SERVICE_INTERNAL'],
        ['FunctionError', 'MyError'],
        ['FunctionError', 'MyError'],
      ],
    );
    assert.equal(s.stored().Status, 'failed');
  });

  it('ends the event when the platform can never run it', async () => {
    const invoker = fakeInvoker(async () => {
      throw new InvokeSystemError('image-missing', 'Image not found', false);
    });
    const s = setup({ invoker, events: { config: { onFailure: ON_FAILURE } } });
    await assert.rejects(s.processor(fakeJob(s.data), 'token'), UnrecoverableError);
    const r = s.stored();
    assert.deepEqual([r.Status, r.Condition], ['failed', 'RetriesExhausted']);
    assert.deepEqual(r.Error, {
      errorType: 'LDK_ERR_SERVICE_INTERNAL',
      errorMessage: 'Image not found',
    });
    assert.equal(s.events.sent.length, 1);
  });

  it('closes an attempt left open by a dead worker as Interrupted, spending no retry', async () => {
    const s = setup({ invoker: failing(), events: { config: { maximumRetryAttempts: 0 } } });
    const at = new Date(s.clock.ms).toISOString();
    s.events.records.records.set('req-1', {
      RequestId: 'req-1',
      FunctionName: 'demo',
      Qualifier: '$LATEST',
      Status: 'running',
      AcceptedAt: at,
      Attempts: [{ Attempt: 1, StartedAt: at }],
      Destinations: [],
    });
    s.clock.advance(5_000);
    await s.processor(fakeJob(s.data), 'token');
    assert.deepEqual(
      s.stored().Attempts.map((a) => a.Outcome),
      ['Interrupted', 'FunctionError'],
    );
    assert.equal(s.stored().Status, 'failed');
  });

  it('on redelivery of an ended event runs nothing and makes only the deliveries still owed', async () => {
    const s = setup({ events: { config: { onSuccess: 'https://hooks.example/ok' } } });
    s.events.failing.add('https://hooks.example/ok');
    await s.processor(fakeJob(s.data), 'token');
    assert.equal(s.stored().Destinations[0]?.Status, 'Failed');
    assert.match(
      await s.metrics.registry.metrics(),
      /lambdock_destination_delivery_failures_total\{function="demo",service="worker"\} 1/,
    );
    // A worker that died after the terminal write left its delivery Pending.
    const pending = s.stored();
    s.events.records.records.set('req-1', {
      ...pending,
      Destinations: pending.Destinations.map((d) => ({ ...d, Status: 'Pending' as const })),
    });
    s.events.failing.clear();
    assert.equal(await s.processor(fakeJob(s.data), 'token'), null);
    assert.equal(await s.processor(fakeJob(s.data), 'token'), null);
    assert.equal(s.invoker.seen.length, 1);
    assert.equal(s.events.sent.length, 1);
    assert.equal(s.stored().Destinations[0]?.Status, 'Delivered');
  });

  it('counts a dead letter it could not deliver as a DeadLetterError', async () => {
    const s = setup({
      invoker: failing(),
      deadLetter: DLQ,
      events: { config: { maximumRetryAttempts: 0 } },
    });
    s.events.failing.add(DLQ);
    await runToEnd(s);
    assert.deepEqual(
      s.stored().Destinations.map((d) => [d.Kind, d.Status, d.Error]),
      [['DeadLetter', 'Failed', `cannot reach ${DLQ}`]],
    );
    assert.match(
      await s.metrics.registry.metrics(),
      /lambdock_dead_letter_errors_total\{function="demo",service="worker"\} 1/,
    );
  });

  it('sends events of a function with reserved concurrency 0 straight to OnFailure', async () => {
    const s = setup({
      leases: reasonLeases(THROTTLE_REASONS.RESERVED),
      events: { reserved: 0, config: { onFailure: ON_FAILURE } },
    });
    assert.equal(await s.processor(fakeJob(s.data), 'token'), null);
    assert.equal(s.invoker.seen.length, 0);
    assert.deepEqual(
      [s.stored().Status, s.stored().Condition],
      ['dropped', 'ZeroReservedConcurrency'],
    );
    const sent = s.events.sent[0]?.payload;
    assert.ok(sent?.kind === 'record');
    assert.equal(sent.record.requestContext.approximateInvokeCount, 0);
  });

  it('keeps no result over the limit, and says so', async () => {
    const big = Buffer.from(JSON.stringify('x'.repeat(2000)));
    const s = setup({ invoker: fakeInvoker(async () => result({ payload: big })) });
    await s.processor(fakeJob(s.data), 'token');
    assert.equal(s.stored().Result, undefined);
    assert.equal(s.stored().ResultTruncated, true);
  });
});
