import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { drainUnread } from '../src/middleware/drain-unread.js';

/** A server that answers 413 at once and drains with `bounds`; counts what the client got. */
async function refusingServer(bounds: { limitBytes: number; timeoutMs: number }) {
  const server = http.createServer((req, res) => {
    res.writeHead(413, { 'content-length': '2' });
    res.end('no');
    drainUnread(req, bounds);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

/** Send chunks every `everyMs` until the connection drops; the answer and when it dropped. */
async function endlessUpload(port: number, chunk: Buffer, everyMs: number) {
  const req = http.request({
    port,
    host: '127.0.0.1',
    method: 'POST',
    path: '/',
    headers: { 'transfer-encoding': 'chunked' },
  });
  let status = 0;
  req.on('response', (res) => {
    status = res.statusCode ?? 0;
    res.resume();
  });
  const started = Date.now();
  const dropped = new Promise<number>((resolve) => {
    req.on('error', () => resolve(Date.now() - started));
    req.on('close', () => resolve(Date.now() - started));
  });
  const timer = setInterval(() => {
    if (!req.destroyed) req.write(chunk);
  }, everyMs);
  const afterMs = await dropped;
  clearInterval(timer);
  return { status, afterMs };
}

describe('drainUnread', () => {
  it(
    'drops a connection whose body goes on past the drain limit',
    { timeout: 10_000 },
    async () => {
      const { server, port } = await refusingServer({ limitBytes: 64 * 1024, timeoutMs: 60_000 });
      try {
        const upload = await endlessUpload(port, Buffer.alloc(16 * 1024), 1);
        assert.equal(upload.status, 413);
        assert.ok(upload.afterMs < 5_000, `dropped after ${upload.afterMs} ms`);
      } finally {
        server.closeAllConnections();
        server.close();
      }
    },
  );

  it(
    'drops a connection whose body is still coming after the drain time',
    { timeout: 10_000 },
    async () => {
      const { server, port } = await refusingServer({ limitBytes: 1 << 30, timeoutMs: 300 });
      try {
        const upload = await endlessUpload(port, Buffer.from('x'), 20);
        assert.equal(upload.status, 413);
        assert.ok(
          upload.afterMs >= 300 && upload.afterMs < 3_000,
          `dropped after ${upload.afterMs} ms`,
        );
      } finally {
        server.closeAllConnections();
        server.close();
      }
    },
  );
});
