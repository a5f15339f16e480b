/**
 * Async invocation as Lambda promises it, end to end with the real services and the AWS SDK:
 * a function that always throws runs exactly 1 + MaximumRetryAttempts times with the retry
 * spacing (base delay shortened for the test), then its failure record reaches the OnFailure
 * function and the original event reaches the dead-letter queue; and an event older than its
 * MaximumEventAgeInSeconds when a worker finally comes back is dropped as EventAgeExceeded
 * without ever running.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  GetFunctionEventInvokeConfigCommand,
  InvokeCommand,
  PutFunctionEventInvokeConfigCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type { InvocationRecord, QueueMessage } from '@lambdock/core';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { markedJson } from '../helpers/function-events.js';
import { createZipFunction, waitUpdated } from '../helpers/lambda.js';
import { uniqueName, type Stack } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

const BASE_DELAY_MS = 200;
const ACCOUNT = '000000000000';
const MARK = 'node-echo invoked ';
const functionArn = (name: string): string =>
  `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}`;
const queueArn = (name: string): string => `arn:aws:sqs:us-east-1:${ACCOUNT}:${name}`;

async function getJson<T>(stack: Stack, path: string): Promise<{ status: number; body: T }> {
  const res = await fetch(`${stack.endpoint}${path}`);
  return { status: res.status, body: (await res.json()) as T };
}

async function terminalRecord(stack: Stack, requestId: string): Promise<InvocationRecord> {
  return waitFor(`the end of ${requestId}`, 60_000, async () => {
    const { status, body } = await getJson<InvocationRecord>(
      stack,
      `/lambdock/v1/invocations/${requestId}`,
    );
    return status === 200 && ['succeeded', 'failed', 'dropped'].includes(body.Status)
      ? body
      : undefined;
  });
}

async function logMessages(stack: Stack, fn: string): Promise<string[]> {
  const { body } = await getJson<{ events: { message: string }[] }>(
    stack,
    `/2015-03-31/functions/${fn}/logs?limit=1000`,
  );
  return body.events.map((e) => e.message);
}

/** The events node-echo logged, in order. */
async function echoedEvents(stack: Stack, fn: string): Promise<unknown[]> {
  return (await logMessages(stack, fn)).flatMap((message) => markedJson<unknown>(message, MARK));
}

async function queueMessages(stack: Stack, queue: string): Promise<QueueMessage[]> {
  const { body } = await getJson<{ Messages: QueueMessage[] }>(
    stack,
    `/lambdock/v1/queues/${queue}/messages`,
  );
  return body.Messages;
}

async function invokeEvent(stack: Stack, fn: string, payload: unknown): Promise<string> {
  const out = await stack.client().send(
    new InvokeCommand({
      FunctionName: fn,
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(payload)),
    }),
  );
  assert.equal(out.StatusCode, 202);
  const requestId = out.$metadata.requestId;
  assert.ok(requestId, 'the 202 carries the request id');
  return requestId;
}

describe('async retries, destinations, dead letters and event age', () => {
  const ctx = useStack([RUNTIME_IMAGES.node], {
    workerEnv: { ASYNC_RETRY_BASE_DELAY_MS: String(BASE_DELAY_MS) },
  });

  it('runs a throwing function 3 times, then sends the failure record on and the event to the DLQ', async () => {
    const { stack, client } = ctx;
    const thrower = uniqueName('thrower');
    const sink = uniqueName('sink');
    const dlq = uniqueName('dlq');
    await createZipFunction(client, {
      name: sink,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    await createZipFunction(client, {
      name: thrower,
      fixture: 'node-throws',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const updated = await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: thrower,
        DeadLetterConfig: { TargetArn: queueArn(dlq) },
      }),
    );
    assert.deepEqual(updated.DeadLetterConfig, { TargetArn: queueArn(dlq) });
    await waitUpdated(client, thrower);
    await client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: thrower,
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: functionArn(sink) } },
      }),
    );
    const config = await client.send(
      new GetFunctionEventInvokeConfigCommand({ FunctionName: thrower }),
    );
    assert.equal(config.FunctionArn, `${functionArn(thrower)}:$LATEST`);
    assert.equal(config.MaximumRetryAttempts, 2);
    assert.deepEqual(config.DestinationConfig, {
      OnFailure: { Destination: functionArn(sink) },
      OnSuccess: {},
    });
    assert.ok(config.LastModified instanceof Date);

    const requestId = await invokeEvent(stack, thrower, { n: 1 });
    const record = await terminalRecord(stack, requestId);
    assert.deepEqual(
      [record.Status, record.Condition, record.RequestId, record.FunctionName],
      ['failed', 'RetriesExhausted', requestId, thrower],
    );
    assert.deepEqual(
      record.Attempts.map((a) => [a.Attempt, a.Outcome, a.ErrorType]),
      [
        [1, 'FunctionError', 'MyError'],
        [2, 'FunctionError', 'MyError'],
        [3, 'FunctionError', 'MyError'],
      ],
    );
    const starts = record.Attempts.map((a) => Date.parse(a.StartedAt));
    const ends = record.Attempts.map((a) => Date.parse(a.EndedAt ?? ''));
    assert.ok(
      (starts[1] ?? 0) - (ends[0] ?? 0) >= BASE_DELAY_MS,
      'first retry after the base delay',
    );
    assert.ok((starts[2] ?? 0) - (ends[1] ?? 0) >= 2 * BASE_DELAY_MS, 'second after twice that');
    // Logs are written after the run (once its output settles), the record at its end: the
    // last attempt's REPORT line can land a moment after the record.
    const reports = await waitFor('three REPORT lines', 10_000, async () => {
      const found = (await logMessages(stack, thrower)).filter((m) =>
        m.includes(`REPORT RequestId: ${requestId}`),
      );
      return found.length >= 3 ? found : undefined;
    });
    assert.equal(reports.length, 3, 'the function ran exactly 3 times');

    const [failure] = await waitFor('the failure record at the sink', 30_000, async () => {
      const events = await echoedEvents(stack, sink);
      return events.length > 0 ? events : undefined;
    });
    const { timestamp, responsePayload, ...rest } = failure as Record<string, unknown>;
    assert.match(String(timestamp), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(rest, {
      version: '1.0',
      requestContext: {
        requestId,
        functionArn: `${functionArn(thrower)}:$LATEST`,
        condition: 'RetriesExhausted',
        approximateInvokeCount: 3,
      },
      requestPayload: { n: 1 },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    });
    const error = responsePayload as { errorType?: string; errorMessage?: string };
    assert.deepEqual(
      [error.errorType, error.errorMessage],
      ['MyError', 'boom: intentional failure'],
    );

    const letters = await waitFor('the dead letter', 10_000, async () => {
      const messages = await queueMessages(stack, dlq);
      return messages.length > 0 ? messages : undefined;
    });
    assert.equal(letters.length, 1);
    assert.equal(letters[0]?.Body, '{"n":1}');
    assert.deepEqual(letters[0]?.MessageAttributes, {
      ErrorCode: { DataType: 'Number', StringValue: '200' },
      ErrorMessage: { DataType: 'String', StringValue: 'boom: intentional failure' },
      RequestID: { DataType: 'String', StringValue: requestId },
    });
    const delivered = await terminalRecord(stack, requestId);
    assert.deepEqual(
      delivered.Destinations.map((d) => [d.Kind, d.Status]),
      [
        ['OnFailure', 'Delivered'],
        ['DeadLetter', 'Delivered'],
      ],
    );
    const metrics = await (await fetch(`http://127.0.0.1:${stack.workerPort}/metrics`)).text();
    assert.match(
      metrics,
      new RegExp(
        `lambdock_async_events_dropped_total\\{function="${thrower}",reason="RetriesExhausted",service="worker"\\} 1`,
      ),
    );
  });

  it('drops an event older than its maximum age when the worker comes back, without running it', async () => {
    const { stack, client } = ctx;
    const fn = uniqueName('aged');
    const failures = uniqueName('aged-failures');
    await createZipFunction(client, {
      name: fn,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    await client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: fn,
        MaximumEventAgeInSeconds: 60,
        DestinationConfig: { OnFailure: { Destination: queueArn(failures) } },
      }),
    );
    await stack.killWorker('SIGKILL');
    const acceptedAt = Date.now();
    const requestId = await invokeEvent(stack, fn, { late: true });
    const queued = await getJson<InvocationRecord>(stack, `/lambdock/v1/invocations/${requestId}`);
    assert.deepEqual(
      [queued.status, queued.body.Status, queued.body.Attempts],
      [200, 'queued', []],
    );
    // The outage outlasts the 60 s maximum age (Lambda's minimum) by a few seconds.
    await sleep(Math.max(0, acceptedAt + 63_000 - Date.now()));
    await stack.startWorker();
    const record = await terminalRecord(stack, requestId);
    assert.deepEqual(
      [record.Status, record.Condition, record.Attempts],
      ['dropped', 'EventAgeExceeded', []],
    );
    const [message] = await waitFor('the EventAgeExceeded record', 10_000, async () => {
      const messages = await queueMessages(stack, failures);
      return messages.length > 0 ? messages : undefined;
    });
    const body = JSON.parse(message?.Body ?? '{}') as Record<string, unknown>;
    assert.deepEqual(Object.keys(body), [
      'version',
      'timestamp',
      'requestContext',
      'requestPayload',
    ]);
    assert.deepEqual(body.requestContext, {
      requestId,
      functionArn: `${functionArn(fn)}:$LATEST`,
      condition: 'EventAgeExceeded',
      approximateInvokeCount: 0,
    });
    assert.deepEqual(body.requestPayload, { late: true });
    assert.deepEqual(await echoedEvents(stack, fn), [], 'the function never ran');
  });
});
