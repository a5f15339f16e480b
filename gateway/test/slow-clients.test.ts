import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Counter, Registry } from 'prom-client';
import {
  clientErrorReason,
  slowClientOptions,
  watchClientErrors,
} from '../src/ingress/slow-clients.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What the server sent before it closed the connection, and after how long. */
async function untilClosed(socket: Socket): Promise<{ text: string; ms: number }> {
  const started = Date.now();
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  await once(socket, 'close');
  return { text, ms: Date.now() - started };
}

describe('slow clients', () => {
  let server: Server;
  let port: number;
  const counter = new Counter({
    name: 'client_errors',
    help: 'test',
    labelNames: ['reason'] as const,
    registers: [new Registry()],
  });
  const count = async (reason: string): Promise<number> =>
    (await counter.get()).values.find((v) => v.labels.reason === reason)?.value ?? 0;

  before(async () => {
    server = createServer(
      slowClientOptions({ headersTimeoutMs: 300, requestTimeoutMs: 800 }),
      (req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', () => {
          // A request in full is never cut, however long its answer takes.
          const wait = req.url === '/slow-answer' ? 1500 : 0;
          setTimeout(() => res.end(`got ${Buffer.concat(chunks).length}`), wait);
        });
      },
    );
    watchClientErrors(server, counter);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  after(() => server.close());

  const open = async (): Promise<Socket> => {
    const socket = connect(port, '127.0.0.1');
    // Writes after the server cut the connection fail (EPIPE): that is the point.
    socket.on('error', () => undefined);
    await once(socket, 'connect');
    return socket;
  };

  it('answers 408 and disconnects a client whose headers come a byte at a time', async () => {
    const socket = await open();
    const closed = untilClosed(socket);
    const head = 'GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ';
    for (const byte of head) {
      if (socket.destroyed) break;
      socket.write(byte);
      await sleep(15);
    }
    for (let i = 0; i < 100 && !socket.destroyed; i++) {
      socket.write('a');
      await sleep(50);
    }
    const { text, ms } = await closed;
    assert.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.ok(ms < 3000, `closed after ${ms} ms`);
    assert.equal(await count('timeout'), 1);
  });

  it('answers 408 to a body that arrives slower than the request timeout, and serves others meanwhile', async () => {
    const before = await count('timeout');
    const socket = await open();
    const closed = untilClosed(socket);
    socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n');
    const trickle = (async () => {
      for (let i = 0; i < 100 && !socket.destroyed; i++) {
        socket.write('{');
        await sleep(40);
      }
    })();
    const quick = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: 'hello' });
    assert.deepEqual([quick.status, await quick.text()], [200, 'got 5']);
    const { text, ms } = await closed;
    await trickle;
    assert.match(text, /^HTTP\/1\.1 408 Request Timeout\r\n/);
    assert.ok(ms >= 700 && ms < 3000, `closed after ${ms} ms`);
    assert.equal(await count('timeout'), before + 1);
  });

  it('never cuts a request that is in, however long its answer takes', async () => {
    const started = Date.now();
    const res = await fetch(`http://127.0.0.1:${port}/slow-answer`, { method: 'POST', body: 'x' });
    assert.deepEqual([res.status, await res.text()], [200, 'got 1']);
    assert.ok(Date.now() - started >= 1400);
  });

  it('answers malformed requests 400 and oversized headers 431, counted by reason', async () => {
    const bad = await open();
    const badClosed = untilClosed(bad);
    bad.write('NOT HTTP AT ALL\r\n\r\n');
    assert.match((await badClosed).text, /^HTTP\/1\.1 400 Bad Request\r\n/);
    const big = await open();
    const bigClosed = untilClosed(big);
    big.write(`GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    assert.match((await bigClosed).text, /^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    assert.deepEqual([await count('malformed'), await count('headers_too_large')], [1, 1]);
  });

  it('keeps the headers timeout within the request timeout, and checks four times per period', () => {
    assert.deepEqual(slowClientOptions({ headersTimeoutMs: 10_000, requestTimeoutMs: 120_000 }), {
      headersTimeout: 10_000,
      requestTimeout: 120_000,
      connectionsCheckingInterval: 2500,
    });
    assert.deepEqual(slowClientOptions({ headersTimeoutMs: 5000, requestTimeoutMs: 1000 }), {
      headersTimeout: 1000,
      requestTimeout: 1000,
      connectionsCheckingInterval: 250,
    });
    assert.equal(clientErrorReason('ECONNRESET'), 'reset');
    assert.equal(clientErrorReason('HPE_CHUNK_EXTENSIONS_OVERFLOW'), 'too_large');
    assert.equal(clientErrorReason(undefined), 'malformed');
  });
});
