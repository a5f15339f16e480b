import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { THROTTLE_REASONS, deliveryId, type InvocationRecord } from '@lambdock/core';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import { createAsyncProcessor } from '../src/jobs/async-processor.js';
import { fakeClock, fakeEvents, reasonLeases, type FakeEvents } from './helpers/async-events.js';
import { commonDeps, fakeInvoker, fakeJob, fakeLeases, jobData, result } from './helpers/jobs.js';
import { record } from './helpers/records.js';

const FAILURE = Buffer.from('{"errorType":"MyError","errorMessage":"boom","trace":[]}');
const failing = () =>
  fakeInvoker(async () =>
    result({
      outcome: 'function-error',
      payload: FAILURE,
      errorType: 'MyError',
      errorKind: 'handler',
    }),
  );
const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:demo:$LATEST';
const ON_FAILURE = 'arn:aws:sqs:us-east-1:000000000000:failures';
const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';

interface SetupOptions {
  invoker?: ReturnType<typeof fakeInvoker>;
  leases?: ReturnType<typeof reasonLeases>;
  events?: Partial<FakeEvents>;
  deadLetter?: string;
}

function setup(options: SetupOptions = {}) {
  const clock = fakeClock();
  const invoker = options.invoker ?? fakeInvoker(async () => result());
  const fn = record(
    options.deadLetter === undefined ? {} : { deadLetterTargetArn: options.deadLetter },
  );
  const common = commonDeps({ demo: fn }, invoker);
  const events = fakeEvents(options.events);
  const processor = createAsyncProcessor({
    ...common.deps,
    leases: options.leases ?? fakeLeases(),
    events,
    now: clock.now,
  });
  const data = jobData({ acceptedAt: clock.ms });
  const stored = (): InvocationRecord => {
    const r = events.records.records.get('req-1');
    assert.ok(r, 'the event has a record');
    return r;
  };
  return { processor, invoker, events, clock, data, stored, metrics: common.deps.metrics };
}

/** Run pickups until the job completes (retries advance the clock by their delay). */
async function runToEnd(s: ReturnType<typeof setup>, maxPickups = 10): Promise<number> {
  for (let pickup = 1; pickup <= maxPickups; pickup++) {
    const job = fakeJob(s.data);
    try {
      await s.processor(job, 'token');
      return pickup;
    } catch (err) {
      if (!(err instanceof DelayedError)) throw err;
      const next = s.stored().NextAttemptAt;
      s.clock.ms = next === undefined ? s.clock.ms + 1000 : Date.parse(next);
    }
  }
  throw new Error('did not end');
}

describe('async invoke jobs', () => {
  it('runs the event once, records success and sends the OnSuccess record', async () => {
    const queue = 'arn:aws:sqs:us-east-1:000000000000:ok';
    const s = setup({ events: { config: { onSuccess: queue } } });
    const out = await s.processor(fakeJob(s.data), 'token');
    assert.equal(out?.outcome, 'success');
    assert.equal(s.invoker.seen[0]?.priority, 'async');
    const at = new Date(s.clock.ms).toISOString();
    assert.deepEqual(s.stored(), {
      RequestId: 'req-1',
      FunctionName: 'demo',
      Qualifier: '$LATEST',
      Status: 'succeeded',
      AcceptedAt: at,
      Attempts: [{ Attempt: 1, StartedAt: at, EndedAt: at, Outcome: 'Success' }],
      Condition: 'Success',
      FinishedAt: at,
      ExecutedVersion: '$LATEST',
      Result: 'ok',
      Destinations: [
        {
          Kind: 'OnSuccess',
          Target: queue,
          DeliveryId: deliveryId('req-1', 'OnSuccess', 'Success'),
          Status: 'Delivered',
          At: at,
        },
      ],
    });
    assert.deepEqual(s.events.sent[0]?.payload, {
      kind: 'record',
      record: {
        version: '1.0',
        timestamp: at,
        requestContext: {
          requestId: 'req-1',
          functionArn: ARN,
          condition: 'Success',
          approximateInvokeCount: 1,
        },
        requestPayload: { a: 1 },
        responseContext: { statusCode: 200, executedVersion: '$LATEST' },
        responsePayload: 'ok',
      },
    });
    assert.match(
      await s.metrics.registry.metrics(),
      /lambdock_async_events_received_total\{function="demo",service="worker"\} 1/,
    );
  });

  it('puts a throttled event back without running it or spending an attempt', async () => {
    const s = setup({ leases: reasonLeases(THROTTLE_REASONS.ACCOUNT) });
    const job = fakeJob(s.data);
    const before = Date.now();
    await assert.rejects(s.processor(job, 'token'), DelayedError);
    assert.ok((job.delayedTo ?? 0) >= before + 800);
    assert.equal(s.invoker.seen.length, 0);
    assert.equal(s.stored().Status, 'queued');
    assert.deepEqual(s.stored().Attempts, []);
    assert.match(
      await s.metrics.registry.metrics(),
      /lambdock_worker_throttles_total\{service="worker"\} 1/,
    );
  });

  it('retries a function error after the base delay, then twice the base delay', async () => {
    const s = setup({ invoker: failing(), events: { retryBaseDelayMs: 200 } });
    const first = fakeJob(s.data);
    const before = Date.now();
    await assert.rejects(s.processor(first, 'token'), DelayedError);
    assert.ok(Math.abs((first.delayedTo ?? 0) - before - 200) < 100);
    assert.equal(s.stored().Status, 'queued');
    assert.equal(s.stored().NextAttemptAt, new Date(s.clock.ms + 200).toISOString());
    assert.deepEqual(s.stored().Attempts[0]?.ErrorType, 'MyError');
    s.clock.advance(200);
    const second = fakeJob(s.data);
    await assert.rejects(s.processor(second, 'token'), DelayedError);
    assert.ok(Math.abs((second.delayedTo ?? 0) - Date.now() - 400) < 100);
  });

  it('does not start a retry before its time', async () => {
    const s = setup({ invoker: failing() });
    await assert.rejects(s.processor(fakeJob(s.data), 'token'), DelayedError);
    s.clock.advance(30_000);
    const early = fakeJob(s.data);
    await assert.rejects(s.processor(early, 'token'), DelayedError);
    assert.equal(s.invoker.seen.length, 1);
    assert.ok(Math.abs((early.delayedTo ?? 0) - Date.now() - 30_000) < 100);
  });

  it('runs 1 + MaximumRetryAttempts times, then sends RetriesExhausted to OnFailure and the DLQ', async () => {
    const s = setup({
      invoker: failing(),
      deadLetter: DLQ,
      events: { config: { maximumRetryAttempts: 2, onFailure: ON_FAILURE } },
    });
    assert.equal(await runToEnd(s), 3);
    assert.equal(s.invoker.seen.length, 3);
    const r = s.stored();
    assert.equal(r.Status, 'failed');
    assert.equal(r.Condition, 'RetriesExhausted');
    assert.deepEqual(
      r.Attempts.map((a) => [a.Attempt, a.Outcome, a.ErrorType]),
      [
        [1, 'FunctionError', 'MyError'],
        [2, 'FunctionError', 'MyError'],
        [3, 'FunctionError', 'MyError'],
      ],
    );
    assert.deepEqual(r.Error, { errorType: 'MyError', errorMessage: 'boom', trace: [] });
    assert.deepEqual(
      r.Destinations.map((d) => [d.Kind, d.Target, d.Status]),
      [
        ['OnFailure', ON_FAILURE, 'Delivered'],
        ['DeadLetter', DLQ, 'Delivered'],
      ],
    );
    const [onFailure, deadLetter] = s.events.sent;
    assert.deepEqual(onFailure?.payload, {
      kind: 'record',
      record: {
        version: '1.0',
        timestamp: r.FinishedAt,
        requestContext: {
          requestId: 'req-1',
          functionArn: ARN,
          condition: 'RetriesExhausted',
          approximateInvokeCount: 3,
        },
        requestPayload: { a: 1 },
        responseContext: {
          statusCode: 200,
          executedVersion: '$LATEST',
          functionError: 'Unhandled',
        },
        responsePayload: { errorType: 'MyError', errorMessage: 'boom', trace: [] },
      },
    });
    assert.deepEqual(deadLetter?.payload, {
      kind: 'dead-letter',
      event: '{"a":1}',
      attributes: {
        ErrorCode: { DataType: 'Number', StringValue: '200' },
        ErrorMessage: { DataType: 'String', StringValue: 'boom' },
        RequestID: { DataType: 'String', StringValue: 'req-1' },
      },
    });
    const metrics = await s.metrics.registry.metrics();
    assert.match(
      metrics,
      /lambdock_async_events_dropped_total\{function="demo",reason="RetriesExhausted",service="worker"\} 1/,
    );
    assert.match(
      metrics,
      /lambdock_async_events_received_total\{function="demo",service="worker"\} 1/,
    );
  });

  it('fails after one run with MaximumRetryAttempts 0', async () => {
    const s = setup({ invoker: failing(), events: { config: { maximumRetryAttempts: 0 } } });
    assert.equal(await runToEnd(s), 1);
    assert.equal(s.stored().Status, 'failed');
  });

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
