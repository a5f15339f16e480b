import assert from 'node:assert/strict';
import { once } from 'node:events';
import http, { type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import request from 'supertest';
import { createLogger, isAppError } from '@lambdock/core';
import { readPayload } from '../src/invoke/read-payload.js';
import { activeRecord, createTestGateway, reply, seed } from './helpers/test-app.js';

const PATH = '/2015-03-31/functions/demo/invocations';

async function limitedGateway() {
  const gw = createTestGateway({
    SYNC_PAYLOAD_LIMIT_BYTES: '1000',
    ASYNC_PAYLOAD_LIMIT_BYTES: '500',
  });
  await seed(gw, activeRecord('demo'));
  gw.queue.worker = (job) => reply({ requestId: job.requestId }, 'null');
  return gw;
}

const jsonOfSize = (bytes: number): string => `"${'x'.repeat(bytes - 2)}"`;

/** `app` on a real port for `run`; every connection is closed after. */
async function withServer(
  app: http.RequestListener,
  run: (port: number) => Promise<void>,
): Promise<void> {
  const server = http.createServer(app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    await run((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

/** A POST to `path` on the local `port`, its body left to the caller to write. */
function post(
  port: number,
  path: string,
  headers: http.OutgoingHttpHeaders = {},
  agent?: http.Agent,
): http.ClientRequest {
  return http.request({ port, host: '127.0.0.1', method: 'POST', path, headers, agent });
}

/** The answer to `req`, read whole. */
async function answerOf(
  req: http.ClientRequest,
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const [res] = (await once(req, 'response')) as [http.IncomingMessage];
  const chunks: Buffer[] = [];
  for await (const c of res) chunks.push(c as Buffer);
  return {
    status: res.statusCode ?? 0,
    headers: res.headers,
    body: Buffer.concat(chunks).toString(),
  };
}

describe('invoke payload limits', () => {
  it('refuses a sync payload over the limit with 413 and AWS wording', async () => {
    const gw = await limitedGateway();
    const res = await request(gw.app).post(PATH).send(jsonOfSize(1001));
    assert.equal(res.status, 413);
    assert.equal(res.headers['x-amzn-errortype'], 'RequestEntityTooLargeException');
    assert.deepEqual(res.body, {
      message: 'Request must be smaller than 1000 bytes for the InvokeFunction operation',
    });
    assert.equal(gw.queue.sync.length, 0);
  });

  it('accepts a sync payload of exactly the limit', async () => {
    const gw = await limitedGateway();
    await request(gw.app).post(PATH).send(jsonOfSize(1000)).expect(200);
  });

  it('applies the smaller Event limit and says so', async () => {
    const gw = await limitedGateway();
    const res = await request(gw.app)
      .post(PATH)
      .set('x-amz-invocation-type', 'Event')
      .send(jsonOfSize(501));
    assert.equal(res.status, 413);
    assert.deepEqual(res.body, {
      message: '501 byte payload is too large for the Event invocation type (limit 500 bytes)',
    });
    assert.equal(gw.queue.async.length, 0);
  });

  it('uses 6291456 bytes by default', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app).post(PATH).send(jsonOfSize(6_291_457));
    assert.equal(res.status, 413);
    assert.deepEqual(res.body, {
      message: 'Request must be smaller than 6291456 bytes for the InvokeFunction operation',
    });
  });

  it('answers 413 to a chunked upload at the limit, drains the rest unkept and serves the next request', async () => {
    const gw = await limitedGateway();
    await withServer(gw.app, async (port) => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      const req = post(port, PATH, { 'transfer-encoding': 'chunked' }, agent);
      req.write(`"${'x'.repeat(600)}`);
      req.write('x'.repeat(600));
      const res = await answerOf(req);
      assert.equal(res.status, 413);
      assert.notEqual(res.headers.connection, 'close');
      assert.match(res.body, /Request must be smaller than 1000 bytes/);
      // The client finishes its body after the answer; the same connection then serves again.
      const finished = once(req, 'finish');
      req.end(`${'x'.repeat(100_000)}"`);
      await finished;
      const next = post(port, PATH, {}, agent);
      next.end('{}');
      const ok = await answerOf(next);
      assert.equal(ok.status, 200);
      assert.equal(next.reusedSocket, true);
      assert.equal(gw.queue.sync.length, 1);
      agent.destroy();
    });
  });

  it(
    'refuses a management body declared over its limit at once, before any of it arrives',
    { timeout: 5_000 },
    async () => {
      const gw = await limitedGateway();
      await withServer(gw.app, async (port) => {
        const req = post(port, '/2015-03-31/functions', {
          'content-type': 'application/json',
          'content-length': '80000000',
        });
        req.on('error', () => undefined);
        req.write('{');
        const res = await answerOf(req);
        assert.equal(res.status, 413);
        assert.deepEqual(JSON.parse(res.body), {
          message: 'Request must be smaller than 70167211 bytes for the CreateFunction operation',
        });
        req.destroy();
      });
      assert.equal(gw.registry.records.size, 1);
    },
  );

  it('takes a management upload the client abandons for the client’s doing, not a fault', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      service: 'gateway',
      level: 'debug',
      destination: { write: (line: string) => void lines.push(line) },
    });
    const gw = createTestGateway({}, { logger });
    await withServer(gw.app, async (port) => {
      const req = post(port, '/2015-03-31/functions', {
        'content-type': 'application/json',
        'content-length': '1000',
      });
      req.on('error', () => undefined);
      req.write('{"FunctionName":');
      await new Promise((resolve) => setTimeout(resolve, 50));
      req.destroy();
      const deadline = Date.now() + 2_000;
      while (!lines.some((l) => l.includes('request refused')) && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
    });
    const outcomes = lines
      .map((l) => JSON.parse(l) as { level: number; msg: string })
      .filter((l) => l.msg === 'request refused' || l.msg === 'request failed')
      .map((l) => [l.level, l.msg]);
    // Debug level (20): a refusal, not an error (50) of the gateway's.
    assert.deepEqual(outcomes, [[20, 'request refused']]);
    assert.equal(gw.registry.records.size, 0);
  });

  it('answers 413 to a declared oversize body the client is still sending, every time', async () => {
    const gw = await limitedGateway();
    await withServer(gw.app, async (port) => {
      // Closing a socket with megabytes unread resets it, and the writing client then sees
      // EPIPE instead of the answer: the body is drained instead.
      const body = Buffer.alloc(8_000_000, 0x20);
      for (let i = 0; i < 5; i++) {
        const req = post(port, PATH, { 'content-length': String(body.length) });
        const finished = once(req, 'finish');
        req.end(body);
        const res = await answerOf(req);
        assert.equal(res.status, 413);
        assert.match(res.body, /Request must be smaller than 1000 bytes/);
        // The whole body went out: nothing was reset under the client.
        await finished;
      }
    });
    assert.equal(gw.queue.sync.length, 0);
  });
});

/** A request body that produces bytes on demand and counts what was taken from it. */
function endlessBody(contentLength?: number): { req: IncomingMessage; produced: () => number } {
  let produced = 0;
  const stream = new Readable({
    read() {
      produced += 1024;
      this.push(Buffer.alloc(1024, 0x20));
    },
  });
  const headers: Record<string, string> =
    contentLength === undefined ? {} : { 'content-length': String(contentLength) };
  const req = Object.assign(stream, { headers }) as unknown as IncomingMessage;
  return { req, produced: () => produced };
}

describe('readPayload', () => {
  it('refuses a declared oversize body before reading a byte', async () => {
    const body = endlessBody(10_000_000);
    await assert.rejects(
      readPayload(body.req, 1000, 'sync'),
      (err: unknown) => isAppError(err) && err.statusCode === 413,
    );
    assert.equal(body.produced(), 0);
  });

  it('stops reading an undeclared body soon after it passes the limit', async () => {
    const body = endlessBody();
    await assert.rejects(
      readPayload(body.req, 10_000, 'sync'),
      (err: unknown) => isAppError(err) && err.statusCode === 413,
    );
    await new Promise((resolve) => setImmediate(resolve));
    // Only what the stream had buffered ahead (its high-water mark) beyond the limit.
    assert.ok(body.produced() <= 10_000 + 1024 + 16 * 1024, `read ${body.produced()} bytes`);
  });

  it('returns the bytes of a body within the limit', async () => {
    const req = Object.assign(Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]), {
      headers: {},
    }) as unknown as IncomingMessage;
    assert.equal((await readPayload(req, 100, 'sync')).toString(), '{"a":1}');
  });
});
