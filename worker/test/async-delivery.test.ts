import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type {
  DestinationDelivery,
  InvocationRecord,
  InvokeJobData,
  QueueMessage,
} from '@lambdock/core';
import type { DeliveryPayload } from '../src/async/delivery-payload.js';
import { createDestinationSender } from '../src/async/senders.js';
import { createWebhookPoster } from '../src/async/webhook.js';
import { decideAfterRun, retryDelayMs } from '../src/jobs/async-policy.js';

describe('async retry policy', () => {
  const base = {
    retryBaseDelayMs: 60_000,
    maximumRetryAttempts: 2,
    ageMs: 100,
    maximumEventAgeMs: 21_600_000,
  };
  const cases: [string, Parameters<typeof decideAfterRun>[0], ReturnType<typeof decideAfterRun>][] =
    [
      [
        'success completes',
        { ...base, outcome: 'success', functionErrors: 0 },
        { kind: 'complete' },
      ],
      [
        'first error waits the base',
        { ...base, outcome: 'function-error', functionErrors: 1 },
        { kind: 'retry', delayMs: 60_000 },
      ],
      [
        'second error waits twice the base',
        { ...base, outcome: 'function-error', functionErrors: 2 },
        { kind: 'retry', delayMs: 120_000 },
      ],
      [
        'third error exhausts two retries',
        { ...base, outcome: 'function-error', functionErrors: 3 },
        { kind: 'exhausted' },
      ],
      [
        'no retries allowed',
        { ...base, maximumRetryAttempts: 0, outcome: 'function-error', functionErrors: 1 },
        { kind: 'exhausted' },
      ],
      [
        'a retry past the maximum age expires now',
        { ...base, maximumEventAgeMs: 60_000, outcome: 'function-error', functionErrors: 1 },
        { kind: 'expired' },
      ],
      [
        'a retry exactly at the maximum age still runs',
        {
          ...base,
          ageMs: 0,
          maximumEventAgeMs: 60_000,
          outcome: 'function-error',
          functionErrors: 1,
        },
        { kind: 'retry', delayMs: 60_000 },
      ],
    ];
  for (const [name, facts, expected] of cases) {
    it(name, () => assert.deepEqual(decideAfterRun(facts), expected));
  }

  it('doubles the delay per retry', () => {
    assert.deepEqual(
      [1, 2, 3].map((n) => retryDelayMs(200, n)),
      [200, 400, 800],
    );
  });
});

function fakeFetch(answers: (number | Error)[]) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetchImpl = (async (url: string, init: RequestInit) => {
    calls.push({ url, init });
    const answer = answers[Math.min(calls.length, answers.length) - 1] ?? 200;
    if (answer instanceof Error) throw answer;
    return new Response(null, { status: answer });
  }) as unknown as typeof fetch;
  return { calls, fetchImpl };
}

describe('webhook deliveries', () => {
  const pauses: number[] = [];
  const poster = (answers: (number | Error)[]) => {
    const f = fakeFetch(answers);
    pauses.length = 0;
    const post = createWebhookPoster({
      attempts: 3,
      timeoutMs: 1000,
      backoffMs: 500,
      fetch: f.fetchImpl,
      pause: async (ms) => pauses.push(ms),
    });
    return { post, calls: f.calls };
  };

  it('POSTs the JSON with the given headers', async () => {
    const { post, calls } = poster([204]);
    await post('https://hooks.example/x', '{"a":1}', { 'idempotency-key': 'k' });
    assert.equal(calls.length, 1);
    assert.equal(calls[0]?.init.method, 'POST');
    assert.equal(calls[0]?.init.body, '{"a":1}');
    assert.deepEqual(calls[0]?.init.headers, {
      'content-type': 'application/json',
      'idempotency-key': 'k',
    });
  });

  it('tries again after 5xx, 429 and network errors, with growing pauses', async () => {
    const { post, calls } = poster([503, new Error('ECONNREFUSED'), 200]);
    await post('https://hooks.example/x', '{}', {});
    assert.equal(calls.length, 3);
    assert.deepEqual(pauses, [500, 1000]);
  });

  it('gives up after the last try, and at once on a 4xx', async () => {
    const always = poster([429]);
    await assert.rejects(always.post('https://hooks.example/x', '{}', {}), {
      message: 'POST https://hooks.example/x failed: HTTP 429',
    });
    assert.equal(always.calls.length, 3);
    const refused = poster([404]);
    await assert.rejects(refused.post('https://hooks.example/x', '{}', {}), /HTTP 404/);
    assert.equal(refused.calls.length, 1);
  });
});

const SOURCE: InvocationRecord = {
  RequestId: 'req-1',
  FunctionName: 'demo',
  Qualifier: '$LATEST',
  Status: 'failed',
  AcceptedAt: '2026-01-01T00:00:00.000Z',
  Attempts: [],
  Condition: 'RetriesExhausted',
  Destinations: [],
};
const RECORD_PAYLOAD: DeliveryPayload = {
  kind: 'record',
  record: {
    version: '1.0',
    timestamp: '2026-01-01T00:00:00.000Z',
    requestContext: {
      requestId: 'req-1',
      functionArn: 'arn',
      condition: 'RetriesExhausted',
      approximateInvokeCount: 1,
    },
    requestPayload: { a: 1 },
  },
};
const DEAD_LETTER: DeliveryPayload = {
  kind: 'dead-letter',
  event: '{"a":1}',
  attributes: {
    ErrorCode: { DataType: 'Number', StringValue: '200' },
    ErrorMessage: { DataType: 'String', StringValue: 'boom' },
    RequestID: { DataType: 'String', StringValue: 'req-1' },
  },
};
const delivery = (Kind: DestinationDelivery['Kind'], Target: string): DestinationDelivery => ({
  Kind,
  Target,
  DeliveryId: 'd-1',
  Status: 'Pending',
});

function sender(existing: string[] = ['sink']) {
  const jobs: InvokeJobData[] = [];
  const messages: [string, QueueMessage][] = [];
  const posts: [string, string, Record<string, string>][] = [];
  const send = createDestinationSender({
    enqueueAsync: async (job) => void jobs.push(job),
    functionExists: async (name) => existing.includes(name),
    queues: { send: async (q, m) => (messages.push([q, m]), true) },
    post: async (url, body, headers) => void posts.push([url, body, headers]),
    ctx: { region: 'us-east-1', accountId: '111111111111' },
    now: () => 42,
  });
  return { send, jobs, messages, posts };
}

describe('destination senders', () => {
  it('invoke a function asynchronously under the delivery id', async () => {
    const s = sender();
    await s.send(
      delivery('OnFailure', 'arn:aws:lambda:us-east-1:111111111111:function:sink'),
      RECORD_PAYLOAD,
      SOURCE,
    );
    assert.deepEqual(s.jobs, [
      {
        requestId: 'd-1',
        functionName: 'sink',
        qualifier: '$LATEST',
        invokedArn: 'arn:aws:lambda:us-east-1:111111111111:function:sink',
        payload: JSON.stringify(RECORD_PAYLOAD.kind === 'record' ? RECORD_PAYLOAD.record : null),
        logTail: false,
        acceptedAt: 42,
      },
    ]);
    await s.send(
      delivery('DeadLetter', 'arn:aws:lambda:us-east-1:111111111111:function:sink:live'),
      DEAD_LETTER,
      SOURCE,
    );
    assert.deepEqual([s.jobs[1]?.payload, s.jobs[1]?.qualifier], ['{"a":1}', 'live']);
  });

  it('fail for a function that does not exist', async () => {
    const s = sender([]);
    await assert.rejects(
      s.send(
        delivery('OnFailure', 'arn:aws:lambda:us-east-1:111111111111:function:sink'),
        RECORD_PAYLOAD,
        SOURCE,
      ),
      { message: 'Function not found: arn:aws:lambda:us-east-1:111111111111:function:sink' },
    );
    assert.equal(s.jobs.length, 0);
  });

  it("put an SQS-shaped message on the queue named by the ARN's last segment", async () => {
    const s = sender();
    await s.send(
      delivery('DeadLetter', 'arn:aws:sqs:us-east-1:111111111111:dlq'),
      DEAD_LETTER,
      SOURCE,
    );
    assert.deepEqual(s.messages, [
      [
        'dlq',
        {
          MessageId: 'd-1',
          Body: '{"a":1}',
          MD5OfBody: 'bb6cb5c68df4652941caf652a366f2d8',
          MessageAttributes: DEAD_LETTER.kind === 'dead-letter' ? DEAD_LETTER.attributes : {},
          SentTimestamp: 42,
          Source: {
            RequestId: 'req-1',
            FunctionName: 'demo',
            Qualifier: '$LATEST',
            Kind: 'DeadLetter',
            Condition: 'RetriesExhausted',
          },
        },
      ],
    ]);
  });

  it('POST records and dead letters to URLs, with the delivery id as idempotency key', async () => {
    const s = sender();
    await s.send(delivery('DeadLetter', 'https://hooks.example/dlq'), DEAD_LETTER, SOURCE);
    assert.deepEqual(s.posts, [
      [
        'https://hooks.example/dlq',
        '{"a":1}',
        {
          'idempotency-key': 'd-1',
          'x-lambdock-delivery': 'DeadLetter',
          'x-lambdock-request-id': 'req-1',
          'x-lambdock-error-code': '200',
          'x-lambdock-error-message': 'boom',
        },
      ],
    ]);
  });
});
