import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { queueMessage, type InvocationRecord, type QueueMessage } from '@lambdock/core';
import { activeRecord, arn, createTestGateway, seed } from './helpers/test-app.js';

const NOW_MS = Date.UTC(2026, 2, 1);
const RECORD: InvocationRecord = {
  RequestId: 'req-1',
  FunctionName: 'demo',
  Qualifier: '$LATEST',
  Status: 'failed',
  AcceptedAt: '2026-03-01T00:00:00.000Z',
  Attempts: [
    {
      Attempt: 1,
      StartedAt: '2026-03-01T00:00:00.010Z',
      EndedAt: '2026-03-01T00:00:00.050Z',
      Outcome: 'FunctionError',
      ErrorType: 'MyError',
    },
  ],
  Condition: 'RetriesExhausted',
  FinishedAt: '2026-03-01T00:00:00.050Z',
  Error: { errorType: 'MyError', errorMessage: 'boom' },
  Destinations: [],
};

function deadLetter(id: string, fn = 'demo'): QueueMessage {
  return queueMessage({
    messageId: id,
    body: `{"n":"${id}"}`,
    sentAtMs: NOW_MS,
    source: {
      RequestId: `src-${id}`,
      FunctionName: fn,
      Qualifier: '$LATEST',
      Kind: 'DeadLetter',
      Condition: 'RetriesExhausted',
    },
  });
}

function failureRecordMessage(id: string): QueueMessage {
  const body = JSON.stringify({
    version: '1.0',
    timestamp: '2026-03-01T00:00:00.050Z',
    requestContext: { requestId: `src-${id}`, functionArn: arn('demo', '$LATEST') },
    requestPayload: { original: id },
  });
  return queueMessage({
    messageId: id,
    body,
    sentAtMs: NOW_MS,
    source: {
      RequestId: `src-${id}`,
      FunctionName: 'demo',
      Qualifier: '$LATEST',
      Kind: 'OnFailure',
      Condition: 'RetriesExhausted',
    },
  });
}

async function gateway() {
  let id = 0;
  const gw = createTestGateway({}, { now: () => NOW_MS, newId: () => `new-${++id}` });
  await seed(gw, activeRecord('demo'));
  await seed(gw, activeRecord('other'));
  return gw;
}

describe('invocation records API', () => {
  it('answers the stored record of an async invocation', async () => {
    const gw = await gateway();
    gw.async.records.records.set('req-1', RECORD);
    const res = await request(gw.app).get('/lambdock/v1/invocations/req-1').expect(200);
    assert.deepEqual(res.body, RECORD);
  });

  it('answers queued for an event no worker has taken yet', async () => {
    const gw = await gateway();
    gw.queue.pendingAsync.set('req-2', {
      state: 'waiting',
      job: {
        requestId: 'req-2',
        functionName: 'demo',
        qualifier: '$LATEST',
        invokedArn: arn('demo'),
        payload: '{}',
        logTail: false,
        acceptedAt: NOW_MS,
      },
    });
    const res = await request(gw.app).get('/lambdock/v1/invocations/req-2').expect(200);
    assert.deepEqual(res.body, {
      RequestId: 'req-2',
      FunctionName: 'demo',
      Qualifier: '$LATEST',
      Status: 'queued',
      AcceptedAt: '2026-03-01T00:00:00.000Z',
      Attempts: [],
      Destinations: [],
    });
  });

  it('answers 404 for an unknown request id and 400 for a malformed one', async () => {
    const gw = await gateway();
    const missing = await request(gw.app).get('/lambdock/v1/invocations/nope');
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { Type: 'User', Message: 'No async invocation nope is known.' });
    const bad = await request(gw.app).get('/lambdock/v1/invocations/a%20b');
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['x-amzn-errortype'], 'ValidationException');
  });
});

describe('queues API', () => {
  it('lists queues, pages through messages and shows one', async () => {
    const gw = await gateway();
    for (const id of ['m1', 'm2', 'm3']) gw.async.queues.send('dlq', deadLetter(id));
    assert.deepEqual((await request(gw.app).get('/lambdock/v1/queues').expect(200)).body, {
      Queues: [{ Name: 'dlq', Messages: 3 }],
    });
    assert.deepEqual((await request(gw.app).get('/lambdock/v1/queues/dlq').expect(200)).body, {
      Name: 'dlq',
      Messages: 3,
    });
    const first = await request(gw.app).get('/lambdock/v1/queues/dlq/messages?limit=2').expect(200);
    const page = first.body as { Messages: QueueMessage[]; NextToken?: string };
    assert.deepEqual(
      page.Messages.map((m) => m.MessageId),
      ['m1', 'm2'],
    );
    assert.equal(page.NextToken, 'm2');
    const rest = await request(gw.app)
      .get('/lambdock/v1/queues/dlq/messages?limit=2&after=m2')
      .expect(200);
    assert.deepEqual(rest.body, { Messages: [deadLetter('m3')] });
    const one = await request(gw.app).get('/lambdock/v1/queues/dlq/messages/m1').expect(200);
    assert.deepEqual(one.body, deadLetter('m1'));
    const none = await request(gw.app).get('/lambdock/v1/queues/dlq/messages/zz');
    assert.deepEqual(
      [none.status, none.body],
      [404, { Type: 'User', Message: 'Message zz is not in queue dlq.' }],
    );
  });

  it('deletes one message and purges a queue', async () => {
    const gw = await gateway();
    for (const id of ['m1', 'm2', 'm3']) gw.async.queues.send('dlq', deadLetter(id));
    await request(gw.app).delete('/lambdock/v1/queues/dlq/messages/m2').expect(204);
    await request(gw.app).delete('/lambdock/v1/queues/dlq/messages/m2').expect(404);
    const purged = await request(gw.app).post('/lambdock/v1/queues/dlq/purge').expect(200);
    assert.deepEqual(purged.body, { Purged: 2 });
    assert.deepEqual((await request(gw.app).get('/lambdock/v1/queues').expect(200)).body, {
      Queues: [],
    });
  });

  it('redrives dead letters and failure records to their functions as new async invocations', async () => {
    // new-1 is the redrive request's own id.
    const gw = await gateway();
    gw.async.queues.send('dlq', deadLetter('m1'));
    gw.async.queues.send('dlq', failureRecordMessage('m2'));
    gw.async.queues.send('dlq', deadLetter('m3', 'gone'));
    const res = await request(gw.app).post('/lambdock/v1/queues/dlq/redrive').send({}).expect(200);
    assert.deepEqual(res.body, {
      Redriven: [
        { MessageId: 'm1', RequestId: 'new-2', FunctionName: 'demo' },
        { MessageId: 'm2', RequestId: 'new-3', FunctionName: 'demo' },
      ],
      Skipped: [{ MessageId: 'm3', Reason: `Function not found: ${arn('gone')}` }],
      Remaining: 1,
    });
    assert.deepEqual(
      gw.queue.async.map((j) => [j.requestId, j.functionName, j.payload, j.invokedArn]),
      [
        ['new-2', 'demo', '{"n":"m1"}', arn('demo')],
        ['new-3', 'demo', '{"original":"m2"}', arn('demo')],
      ],
    );
  });

  it('redrives to the function the request names, up to MaxMessages', async () => {
    const gw = await gateway();
    for (const id of ['m1', 'm2']) gw.async.queues.send('dlq', deadLetter(id));
    const res = await request(gw.app)
      .post('/lambdock/v1/queues/dlq/redrive')
      .send({ FunctionName: 'other', MaxMessages: 1 })
      .expect(200);
    assert.deepEqual(res.body, {
      Redriven: [{ MessageId: 'm1', RequestId: 'new-2', FunctionName: 'other' }],
      Skipped: [],
      Remaining: 1,
    });
    const missing = await request(gw.app)
      .post('/lambdock/v1/queues/dlq/redrive')
      .send({ FunctionName: 'gone' });
    assert.equal(missing.status, 404);
    assert.equal(gw.queue.async.length, 1);
  });

  it('refuses a queue name SQS and SNS would not accept', async () => {
    const gw = await gateway();
    const res = await request(gw.app).get('/lambdock/v1/queues/a%20b/messages');
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'ValidationException');
  });
});
