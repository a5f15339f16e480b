import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  deadLetterAttributes,
  deliveryId,
  destinationRecord,
  endAttempt,
  finishRecord,
  functionErrorCount,
  invokeCount,
  markDelivery,
  newInvocationRecord,
  parseDestinationTarget,
  resolveEventInvokeConfig,
  startAttempt,
  type InvocationRecord,
} from '../src/index.js';

const T0 = Date.UTC(2026, 0, 1);
const iso = (ms: number): string => new Date(ms).toISOString();

describe('destination targets', () => {
  const cases: [string, unknown][] = [
    [
      'arn:aws:lambda:us-east-1:111111111111:function:sink',
      { kind: 'function', region: 'us-east-1', accountId: '111111111111', functionName: 'sink' },
    ],
    [
      'arn:aws:lambda:us-east-1:111111111111:function:sink:live',
      {
        kind: 'function',
        region: 'us-east-1',
        accountId: '111111111111',
        functionName: 'sink',
        qualifier: 'live',
      },
    ],
    [
      'arn:aws:sqs:eu-west-1:111111111111:dead-letters',
      { kind: 'queue', service: 'sqs', queueName: 'dead-letters' },
    ],
    [
      'arn:aws:sns:us-east-1:111111111111:topic.fifo',
      { kind: 'queue', service: 'sns', queueName: 'topic.fifo' },
    ],
    ['https://hooks.example/x?y=1', { kind: 'webhook', url: 'https://hooks.example/x?y=1' }],
    ['HTTP://hooks.example', { kind: 'webhook', url: 'http://hooks.example/' }],
    ['arn:aws:events:us-east-1:111111111111:event-bus/default', undefined],
    ['arn:aws:s3:::bucket', undefined],
    ['arn:aws:sqs:us-east-1:111111111111:bad name', undefined],
    ['ftp://hooks.example', undefined],
    ['kafka://broker', undefined],
    ['https://', undefined],
    ['', undefined],
  ];
  for (const [value, expected] of cases) {
    it(`classifies ${JSON.stringify(value)}`, () => {
      assert.deepEqual(parseDestinationTarget(value), expected);
    });
  }
});

describe('delivery ids', () => {
  it('are UUID-shaped, stable, and differ by kind and condition', () => {
    const id = deliveryId('req-1', 'OnFailure', 'RetriesExhausted');
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(deliveryId('req-1', 'OnFailure', 'RetriesExhausted'), id);
    assert.notEqual(deliveryId('req-1', 'DeadLetter', 'RetriesExhausted'), id);
    assert.notEqual(deliveryId('req-1', 'OnFailure', 'EventAgeExceeded'), id);
    assert.notEqual(deliveryId('req-2', 'OnFailure', 'RetriesExhausted'), id);
  });
});

describe('event invoke config defaults', () => {
  it("applies Lambda's defaults to what is not set", () => {
    assert.deepEqual(resolveEventInvokeConfig(undefined), {
      maximumRetryAttempts: 2,
      maximumEventAgeMs: 21_600_000,
    });
    assert.deepEqual(
      resolveEventInvokeConfig({
        functionName: 'f',
        qualifier: '$LATEST',
        maximumRetryAttempts: 0,
        maximumEventAgeInSeconds: 60,
        onFailure: 'arn:aws:sqs:us-east-1:111111111111:q',
        lastModifiedMs: 0,
      }),
      {
        maximumRetryAttempts: 0,
        maximumEventAgeMs: 60_000,
        onFailure: 'arn:aws:sqs:us-east-1:111111111111:q',
      },
    );
  });
});

describe('destination records', () => {
  it("keep AWS's keys and wire order, with the response only when the function ran", () => {
    const ran = destinationRecord({
      requestId: 'req-1',
      functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:f:$LATEST',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 3,
      timestampMs: T0,
      requestPayload: { a: 1 },
      response: { executedVersion: '$LATEST', functionError: true, payload: { errorMessage: 'x' } },
    });
    assert.equal(
      JSON.stringify(ran),
      '{"version":"1.0","timestamp":"2026-01-01T00:00:00.000Z","requestContext":{"requestId":"req-1","functionArn":"arn:aws:lambda:us-east-1:111111111111:function:f:$LATEST","condition":"RetriesExhausted","approximateInvokeCount":3},"requestPayload":{"a":1},"responseContext":{"statusCode":200,"executedVersion":"$LATEST","functionError":"Unhandled"},"responsePayload":{"errorMessage":"x"}}',
    );
    const never = destinationRecord({
      requestId: 'req-1',
      functionArn: 'arn:aws:lambda:us-east-1:111111111111:function:f:$LATEST',
      condition: 'EventAgeExceeded',
      approximateInvokeCount: 0,
      timestampMs: T0,
      requestPayload: {},
    });
    assert.deepEqual(Object.keys(never), [
      'version',
      'timestamp',
      'requestContext',
      'requestPayload',
    ]);
  });

  it('give dead letters the first kilobyte of the error message', () => {
    const attributes = deadLetterAttributes({
      requestId: 'r',
      ran: true,
      errorMessage: 'é'.repeat(600),
    });
    assert.deepEqual(attributes.ErrorCode, { DataType: 'Number', StringValue: '200' });
    assert.equal(Buffer.byteLength(attributes.ErrorMessage?.StringValue ?? ''), 1024);
    assert.equal(
      deadLetterAttributes({ requestId: 'r', ran: false, errorMessage: 'm' }).ErrorCode
        ?.StringValue,
      '503',
    );
  });
});

function started(): InvocationRecord {
  const fresh = newInvocationRecord({
    requestId: 'req-1',
    functionName: 'f',
    qualifier: '$LATEST',
    acceptedAtMs: T0,
  });
  const r = startAttempt(fresh, T0 + 10);
  assert.ok(r);
  return r;
}

describe('invocation record transitions', () => {
  it('start, end and count attempts', () => {
    const r1 = started();
    assert.deepEqual(
      [r1.Status, r1.Attempts],
      ['running', [{ Attempt: 1, StartedAt: iso(T0 + 10) }]],
    );
    const r2 = endAttempt(
      r1,
      { outcome: 'FunctionError', errorType: 'E', nextAttemptAtMs: T0 + 60_000 },
      T0 + 20,
    );
    assert.ok(r2);
    assert.deepEqual([r2.Status, r2.NextAttemptAt], ['queued', iso(T0 + 60_000)]);
    assert.deepEqual(r2.Attempts[0], {
      Attempt: 1,
      StartedAt: iso(T0 + 10),
      EndedAt: iso(T0 + 20),
      Outcome: 'FunctionError',
      ErrorType: 'E',
    });
    const r3 = startAttempt(r2, T0 + 60_000);
    assert.ok(r3);
    assert.equal(r3.NextAttemptAt, undefined);
    const r4 = endAttempt(r3, { outcome: 'PlatformError', errorType: 'LDK_ERR_X' }, T0 + 60_001);
    assert.ok(r4);
    assert.deepEqual([functionErrorCount(r4), invokeCount(r4)], [1, 1]);
  });

  it('close an attempt a dead worker left open as Interrupted', () => {
    const r = startAttempt(started(), T0 + 30_000);
    assert.ok(r);
    assert.deepEqual(
      r.Attempts.map((a) => [a.Attempt, a.Outcome, a.EndedAt]),
      [
        [1, 'Interrupted', iso(T0 + 30_000)],
        [2, undefined, undefined],
      ],
    );
    assert.equal(functionErrorCount(r), 0);
  });

  it('end exactly once: no transition applies to a terminal record', () => {
    const delivery = {
      Kind: 'OnSuccess' as const,
      Target: 'https://x.example/',
      DeliveryId: 'd1',
      Status: 'Pending' as const,
    };
    const done = finishRecord(
      started(),
      { status: 'succeeded', condition: 'Success', result: 1, destinations: [delivery] },
      T0 + 50,
    );
    assert.ok(done);
    assert.deepEqual(
      [done.Status, done.Condition, done.FinishedAt, done.Result],
      ['succeeded', 'Success', iso(T0 + 50), 1],
    );
    assert.equal(
      finishRecord(done, { status: 'failed', condition: 'RetriesExhausted', destinations: [] }, T0),
      undefined,
    );
    assert.equal(startAttempt(done, T0), undefined);
    assert.equal(endAttempt(done, { outcome: 'Success' }, T0), undefined);
    const delivered = markDelivery(done, 'd1', { status: 'Delivered' }, T0 + 60);
    assert.deepEqual(delivered?.Destinations, [
      { ...delivery, Status: 'Delivered', At: iso(T0 + 60) },
    ]);
    assert.equal(
      delivered && markDelivery(delivered, 'd1', { status: 'Failed', error: 'x' }, T0),
      undefined,
    );
    assert.equal(markDelivery(done, 'unknown', { status: 'Delivered' }, T0), undefined);
  });
});
