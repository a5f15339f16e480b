import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import type { InvokeJobData, ReplyChunk } from '@lambdock/core';
import { readEventStream, type StreamEvent } from './helpers/event-stream-reader.js';
import { activeGateway, errorOf, reply, type TestGateway } from './helpers/test-app.js';
import { PAYLOAD_CHUNK_MAX_BYTES } from '../src/invoke/stream-reply.js';

const streamPath = (name: string): string =>
  `/2021-11-15/functions/${name}/response-streaming-invocations`;

interface RawAnswer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

async function invokeStream(
  gw: TestGateway,
  payload: string | Buffer,
  headers: Record<string, string> = {},
  name = 'demo',
): Promise<RawAnswer> {
  const res = await request(gw.app)
    .post(streamPath(name))
    .set(headers)
    .send(payload)
    .buffer(true)
    .parse((response, done) => {
      const chunks: Buffer[] = [];
      response.on('data', (c: Buffer) => chunks.push(c));
      response.on('end', () => done(null, Buffer.concat(chunks)));
    });
  return { status: res.status, headers: res.headers, body: res.body as Buffer };
}

const kind = (e: StreamEvent): string | undefined => e.headers[':event-type'];
const payloadOf = (events: StreamEvent[]): string =>
  Buffer.concat(events.filter((e) => kind(e) === 'PayloadChunk').map((e) => e.payload)).toString();
const completeOf = (events: StreamEvent[]): Record<string, string> => {
  const last = events.at(-1);
  assert.equal(last && kind(last), 'InvokeComplete', 'the stream ends with InvokeComplete');
  assert.equal(last?.headers[':content-type'], 'application/json');
  assert.equal(events.filter((e) => kind(e) === 'InvokeComplete').length, 1);
  return JSON.parse(last?.payload.toString() ?? '') as Record<string, string>;
};

const chunk = (job: InvokeJobData, seq: number, text: string): ReplyChunk => ({
  requestId: job.requestId,
  seq,
  contentType: 'text/plain',
  data: Buffer.from(text),
});

/** `lambdock_invocations_total` by outcome, for `demo`. */
async function invocationCounts(gw: TestGateway): Promise<Record<string, number>> {
  const metric = await gw.metrics.registry.getSingleMetric('lambdock_invocations_total')?.get();
  return Object.fromEntries(
    (metric?.values ?? [])
      .filter((v) => v.labels.function === 'demo')
      .map((v) => [String(v.labels.outcome), v.value]),
  );
}

describe('InvokeWithResponseStream', () => {
  it('sends a buffered answer as payload chunks, then an InvokeComplete without an error', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) =>
      reply(
        { requestId: job.requestId, contentType: 'application/json' },
        `{"got":${job.payload}}`,
      );
    const res = await invokeStream(gw, '{"a":1}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/json');
    assert.equal(res.headers['x-amz-executed-version'], '$LATEST');
    const events = readEventStream(res.body);
    assert.equal(events[0]?.headers[':message-type'], 'event');
    assert.equal(events[0]?.headers[':content-type'], 'application/octet-stream');
    assert.equal(payloadOf(events), '{"got":{"a":1}}');
    assert.deepEqual(completeOf(events), {});
    assert.equal(gw.queue.sync[0]?.stream, true, 'the worker is asked to relay chunks');
  });

  it('relays a streamed answer chunk by chunk and sends none of it twice', async () => {
    const gw = await activeGateway();
    gw.queue.streamed = (job) => [
      chunk(job, 0, 'one '),
      chunk(job, 1, 'two '),
      chunk(job, 2, 'three'),
    ];
    gw.queue.worker = (job) =>
      reply(
        { requestId: job.requestId, contentType: 'text/plain', streamedChunks: 3 },
        'one two three',
      );
    const res = await invokeStream(gw, '{}');
    assert.equal(res.headers['content-type'], 'text/plain');
    const events = readEventStream(res.body);
    assert.deepEqual(events.map((e) => [kind(e), e.payload.toString()]).slice(0, 3), [
      ['PayloadChunk', 'one '],
      ['PayloadChunk', 'two '],
      ['PayloadChunk', 'three'],
    ]);
    assert.equal(events.length, 4);
    assert.deepEqual(completeOf(events), {});
  });

  it('sends the rest from the final reply when a relayed chunk was lost', async () => {
    const gw = await activeGateway();
    gw.queue.streamed = (job) => [chunk(job, 0, 'one '), chunk(job, 2, 'three')];
    gw.queue.worker = (job) =>
      reply(
        { requestId: job.requestId, contentType: 'text/plain', streamedChunks: 3 },
        'one two three',
      );
    const events = readEventStream((await invokeStream(gw, '{}')).body);
    assert.equal(payloadOf(events), 'one two three');
    assert.equal(events[0]?.payload.toString(), 'one ');
  });

  it("relays a stream longer than the reply holds; a chunk lost beyond it ends the stream with lambdock's error", async () => {
    const gw = await activeGateway();
    const longer = { streamedChunks: 3, streamedBytes: 'one two three'.length };
    gw.queue.streamed = (job) => [chunk(job, 0, 'one '), chunk(job, 2, 'three')];
    // The reply holds 'one two ' only: the lost 'two ' is repaired from it, 'three' after it is not.
    gw.queue.worker = (job) => reply({ requestId: job.requestId, ...longer }, 'one two ');
    const events = readEventStream((await invokeStream(gw, '{}')).body);
    assert.equal(payloadOf(events), 'one two ');
    assert.deepEqual(completeOf(events), {
      ErrorCode: 'ServiceException',
      ErrorDetails: 'An internal error occurred.',
    });

    const whole = await activeGateway();
    whole.queue.streamed = (job) => [
      chunk(job, 0, 'one '),
      chunk(job, 1, 'two '),
      chunk(job, 2, 'three'),
    ];
    whole.queue.worker = (job) => reply({ requestId: job.requestId, ...longer }, 'one two ');
    const all = readEventStream((await invokeStream(whole, '{}')).body);
    assert.equal(payloadOf(all), 'one two three');
    assert.deepEqual(completeOf(all), {});
  });

  it('cuts a large buffered answer into events of at most 256 KiB', async () => {
    const gw = await activeGateway();
    const big = 'x'.repeat(PAYLOAD_CHUNK_MAX_BYTES * 2 + 10);
    gw.queue.worker = (job) => reply({ requestId: job.requestId }, big);
    const events = readEventStream((await invokeStream(gw, '{}')).body);
    const sizes = events.filter((e) => kind(e) === 'PayloadChunk').map((e) => e.payload.length);
    assert.deepEqual(sizes, [PAYLOAD_CHUNK_MAX_BYTES, PAYLOAD_CHUNK_MAX_BYTES, 10]);
    assert.equal(payloadOf(events), big);
  });

  it("names a function error in InvokeComplete: the error's type and message, no payload", async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) =>
      reply(
        { requestId: job.requestId, outcome: 'function-error' },
        '{"errorType":"Sandbox.Timedout","errorMessage":"Task timed out after 3.00 seconds"}',
      );
    const res = await invokeStream(gw, '{}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-function-error'], undefined);
    const events = readEventStream(res.body);
    assert.equal(payloadOf(events), '');
    assert.deepEqual(completeOf(events), {
      ErrorCode: 'Sandbox.Timedout',
      ErrorDetails: 'Task timed out after 3.00 seconds',
    });
  });

  it('ends a stream that failed midway with what was sent, then the error', async () => {
    const gw = await activeGateway();
    gw.queue.streamed = (job) => [chunk(job, 0, 'partial')];
    gw.queue.worker = (job) =>
      reply(
        {
          requestId: job.requestId,
          outcome: 'function-error',
          errorType: 'Error',
          streamedChunks: 1,
        },
        '{"errorType":"Error","errorMessage":"failed after 1 chunks","trace":[]}',
      );
    const events = readEventStream((await invokeStream(gw, '{}')).body);
    assert.equal(payloadOf(events), 'partial');
    assert.deepEqual(completeOf(events), {
      ErrorCode: 'Error',
      ErrorDetails: 'failed after 1 chunks',
    });
  });

  it('adds the log tail to InvokeComplete only when Tail was asked for', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) => reply({ requestId: job.requestId, logResult: 'U1RBUlQ=' }, 'null');
    const tail = readEventStream((await invokeStream(gw, '{}', { 'X-Amz-Log-Type': 'Tail' })).body);
    assert.deepEqual(completeOf(tail), { LogResult: 'U1RBUlQ=' });
    assert.equal(gw.queue.sync[0]?.logTail, true);
    const none = readEventStream((await invokeStream(gw, '{}')).body);
    assert.deepEqual(completeOf(none), {});
  });

  it('refuses the Event invocation type with the enum of this operation', async () => {
    const gw = await activeGateway();
    const res = await request(gw.app)
      .post(streamPath('demo'))
      .set('X-Amz-Invocation-Type', 'Event')
      .send('{}');
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'ValidationException');
    assert.equal(
      errorOf(res).message,
      "1 validation error detected: Value 'Event' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [RequestResponse, DryRun]",
    );
    assert.equal(gw.queue.sync.length + gw.queue.async.length, 0);
  });

  it('answers DryRun 204 after the checks, and queues nothing', async () => {
    const gw = await activeGateway();
    const res = await request(gw.app)
      .post(streamPath('demo'))
      .set('X-Amz-Invocation-Type', 'DryRun')
      .send('{}');
    assert.equal(res.status, 204);
    assert.equal(gw.queue.sync.length, 0);
  });

  it("answers a refusal before any byte as Invoke's JSON error", async () => {
    const gw = await activeGateway();
    const missing = await request(gw.app).post(streamPath('nope')).send('{}');
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    const notJson = await request(gw.app).post(streamPath('demo')).send('{oops');
    assert.equal(notJson.status, 400);
    assert.equal(notJson.headers['x-amzn-errortype'], 'InvalidRequestContentException');
    const tooBig = await request(gw.app)
      .post(streamPath('demo'))
      .set('content-type', 'application/octet-stream')
      .send(Buffer.alloc(6 * 1024 * 1024 + 1, 0x20));
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.headers['x-amzn-errortype'], 'RequestEntityTooLargeException');
    gw.queue.down = true;
    const down = await request(gw.app).post(streamPath('demo')).send('{}');
    assert.equal(down.status, 503);
    assert.equal(gw.queue.sync.length, 0);
  });
});

describe('InvokeWithResponseStream failures', () => {
  it('ends a begun stream with the error Invoke would render when no reply comes', async () => {
    const gw = await activeGateway();
    gw.queue.streamed = (job) => [chunk(job, 0, 'partial')];
    gw.queue.worker = () => undefined;
    const res = await invokeStream(gw, '{}');
    assert.equal(res.status, 200);
    const events = readEventStream(res.body);
    assert.equal(payloadOf(events), 'partial');
    assert.deepEqual(completeOf(events), {
      ErrorCode: 'ServiceException',
      ErrorDetails: 'The invocation did not complete in time.',
    });
    assert.deepEqual(await invocationCounts(gw), { 'no-reply': 1 });
  });

  it("answers a worker's refusal before any byte as its JSON error, counted once", async () => {
    const gw = await activeGateway();
    // An empty chunk starts nothing: the refusal is still an error response.
    gw.queue.streamed = (job) => [chunk(job, 0, '')];
    gw.queue.worker = (job) =>
      reply(
        {
          requestId: job.requestId,
          outcome: 'rejected',
          error: { code: 'LDK_ERR_FUNCTION_NOT_FOUND', message: 'Function not found: x' },
        },
        '',
      );
    const res = await request(gw.app).post(streamPath('demo')).send('{}');
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.deepEqual(await invocationCounts(gw), { rejected: 1 });
  });

  it('counts a streamed success and a function error by their outcomes', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) => reply({ requestId: job.requestId }, 'null');
    await invokeStream(gw, '{}');
    gw.queue.worker = (job) =>
      reply({ requestId: job.requestId, outcome: 'function-error' }, '{"errorType":"Error"}');
    await invokeStream(gw, '{}');
    assert.deepEqual(await invocationCounts(gw), { success: 1, 'function-error': 1 });
  });
});
