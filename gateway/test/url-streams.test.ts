import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, get } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import request from 'supertest';
import type { InvokeJobData, ReplyChunk } from '@lambdock/core';
import { activeGateway, reply, type TestGateway } from './helpers/test-app.js';

const servers: Array<ReturnType<typeof createServer>> = [];
after(() => {
  for (const server of servers) server.close();
});

interface UrlAnswer {
  status: number;
  body: string;
  /** The response ended cleanly (its last chunk came), rather than being cut. */
  complete: boolean;
}

/** A streaming function URL for `demo`, and a GET of it over a real socket. */
async function streamingUrl(gw: TestGateway): Promise<() => Promise<UrlAnswer>> {
  const created = await request(gw.app)
    .post('/2021-10-31/functions/demo/url')
    .send({ AuthType: 'NONE', InvokeMode: 'RESPONSE_STREAM' })
    .expect(201);
  const path = new URL((created.body as { FunctionUrl: string }).FunctionUrl).pathname;
  const server = createServer(gw.app).listen(0, '127.0.0.1');
  servers.push(server);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return () =>
    new Promise((resolve, reject) => {
      get({ host: '127.0.0.1', port, path }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, complete: res.complete }));
        res.on('error', () => resolve({ status: res.statusCode ?? 0, body, complete: false }));
      }).on('error', reject);
    });
}

const chunk = (job: InvokeJobData, seq: number, text: string): ReplyChunk => ({
  requestId: job.requestId,
  seq,
  contentType: 'text/plain',
  data: Buffer.from(text),
});

describe('function URL streams that go wrong', () => {
  it('relays a whole stream and ends it cleanly', async () => {
    const gw = await activeGateway();
    gw.queue.streamed = (job) => [chunk(job, 0, 'one '), chunk(job, 1, 'two')];
    gw.queue.worker = (job) =>
      reply({ requestId: job.requestId, streamedChunks: 2, streamedBytes: 7 }, 'one two');
    const answer = await (await streamingUrl(gw))();
    assert.deepEqual(answer, { status: 200, body: 'one two', complete: true });
  });

  it('cuts a stream whose function failed after the first bytes', async () => {
    const gw = await activeGateway();
    gw.queue.streamed = (job) => [chunk(job, 0, 'partial')];
    gw.queue.worker = (job) =>
      reply(
        { requestId: job.requestId, outcome: 'function-error', streamedChunks: 1 },
        '{"errorType":"Function.ResponseSizeTooLarge","errorMessage":"too large"}',
      );
    const answer = await (await streamingUrl(gw))();
    assert.equal(answer.status, 200);
    assert.equal(answer.body, 'partial');
    assert.equal(answer.complete, false, 'the client can tell the body is cut short');
  });

  it('cuts a stream that lost a chunk', async () => {
    const gw = await activeGateway();
    gw.queue.streamed = (job) => [chunk(job, 0, 'one '), chunk(job, 2, 'three')];
    gw.queue.worker = (job) =>
      reply({ requestId: job.requestId, streamedChunks: 3, streamedBytes: 13 }, 'one two three');
    const answer = await (await streamingUrl(gw))();
    assert.equal(answer.body, 'one ');
    assert.equal(answer.complete, false);
  });

  it('sends the whole reply when every chunk was lost, if the reply holds them all', async () => {
    const gw = await activeGateway();
    gw.queue.streamed = () => [];
    gw.queue.worker = (job) =>
      reply(
        {
          requestId: job.requestId,
          contentType: 'text/plain',
          streamedChunks: 2,
          streamedBytes: 7,
        },
        'one two',
      );
    const answer = await (await streamingUrl(gw))();
    assert.deepEqual(answer, { status: 200, body: 'one two', complete: true });

    const longer = await activeGateway();
    longer.queue.streamed = () => [];
    longer.queue.worker = (job) =>
      reply({ requestId: job.requestId, streamedChunks: 2, streamedBytes: 9 }, 'one two');
    const lost = await (await streamingUrl(longer))();
    assert.equal(lost.status, 502);
  });
});
