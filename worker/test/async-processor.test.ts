import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DelayedError } from 'bullmq';
import { THROTTLE_REASONS, deliveryId } from '@lambdock/core';
import { reasonLeases } from './helpers/async-events.js';
import { ARN, DLQ, ON_FAILURE, failing, runToEnd, setup } from './helpers/async-processor.js';
import { fakeJob } from './helpers/jobs.js';

describe('async invoke jobs: runs and retries', () => {
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
});
