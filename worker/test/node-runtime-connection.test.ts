import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { connect } from './helpers/node-runtime.js';

interface Peer {
  port: number;
  connections: number;
  /** Raw bytes of every request received, per connection. */
  received: Buffer[];
  server: Server;
}

/** A TCP server that answers each request (head + declared body) with `answer(index)`. */
async function peer(answer: (socket: Socket, index: number) => void): Promise<Peer> {
  const state: Peer = { port: 0, connections: 0, received: [], server: createServer() };
  let index = 0;
  state.server.on('connection', (socket) => {
    const slot = state.connections++;
    state.received[slot] = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      const all = Buffer.concat([state.received[slot] ?? Buffer.alloc(0), chunk]);
      state.received[slot] = all;
      const end = all.indexOf('\r\n\r\n');
      if (end === -1) return;
      const length = Number(
        /content-length: (\d+)/i.exec(all.toString('latin1', 0, end))?.[1] ?? 0,
      );
      if (all.length - end - 4 < length) return;
      state.received[slot] = Buffer.alloc(0);
      answer(socket, index++);
    });
  });
  state.server.listen(0, '127.0.0.1');
  await once(state.server, 'listening');
  state.port = (state.server.address() as AddressInfo).port;
  return state;
}

const peers: Peer[] = [];
async function started(answer: (socket: Socket, index: number) => void): Promise<Peer> {
  const p = await peer(answer);
  peers.push(p);
  return p;
}

describe('node runtime HTTP connection', () => {
  after(() => {
    for (const p of peers) p.server.close();
  });

  it('reads Content-Length answers, lower-cases headers, joins repeats and reuses the socket', async () => {
    const p = await started((socket, i) =>
      socket.write(
        `HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: id-${i}\r\nX-Two: a\r\nX-Two: b\r\n` +
          `Content-Length: 7\r\n\r\n{"n":${i}}`,
      ),
    );
    const connection = await connect(p.port);
    for (const i of [0, 1]) {
      const answer = await connection.request('GET', '/next', {}, undefined);
      assert.deepEqual(
        { ...answer, headers: { ...answer.headers }, body: answer.body.toString() },
        {
          statusCode: 200,
          headers: {
            'lambda-runtime-aws-request-id': `id-${i}`,
            'x-two': 'a, b',
            'content-length': '7',
          },
          body: `{"n":${i}}`,
        },
      );
    }
    assert.equal(connection.reusable, true);
    assert.equal(p.connections, 1);
    connection.destroy();
  });

  it('decodes a chunked answer delivered one byte at a time, with extensions and trailers', async () => {
    const wire =
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n' +
      '5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nX-Trailer: t\r\n\r\n';
    const p = await started((socket) => {
      const bytes = Buffer.from(wire);
      let at = 0;
      const next = (): void => {
        if (at < bytes.length) socket.write(bytes.subarray(at, ++at), () => setImmediate(next));
      };
      next();
    });
    const connection = await connect(p.port);
    const answer = await connection.request('GET', '/next', {}, undefined);
    assert.equal(answer.body.toString(), 'hello world');
    assert.equal(connection.reusable, true);
    connection.destroy();
  });

  it('gives up the connection after Connection: close and reads bodies that end with it', async () => {
    const p = await started((socket, i) => {
      if (i === 0)
        socket.write('HTTP/1.1 413 Too Large\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}');
      else socket.end('HTTP/1.1 200 OK\r\n\r\nuntil the end');
    });
    const first = await connect(p.port);
    assert.equal(
      (await first.request('POST', '/r', { 'Content-Length': 1 }, Buffer.from('x'))).statusCode,
      413,
    );
    assert.equal(first.reusable, false);
    const second = await connect(p.port);
    const answer = await second.request('GET', '/next', {}, undefined);
    assert.deepEqual([answer.statusCode, answer.body.toString()], [200, 'until the end']);
    assert.equal(second.reusable, false);
  });

  it('answers a 204 with an empty body', async () => {
    const p = await started((socket) => socket.write('HTTP/1.1 204 No Content\r\n\r\n'));
    const connection = await connect(p.port);
    const answer = await connection.request('GET', '/x', {}, undefined);
    assert.deepEqual([answer.statusCode, answer.body.length], [204, 0]);
    connection.destroy();
  });

  it('sends large bodies intact, with the head first', async () => {
    const body = Buffer.alloc(200 * 1024, 'abcdefghij');
    let got = Buffer.alloc(0);
    const server = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        got = Buffer.concat([got, chunk]);
        const end = got.indexOf('\r\n\r\n');
        if (end !== -1 && got.length - end - 4 === body.length) {
          socket.write('HTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n');
        }
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    const connection = await connect(port);
    const answer = await connection.request('POST', '/r', { 'Content-Length': body.length }, body);
    assert.equal(answer.statusCode, 202);
    const end = got.indexOf('\r\n\r\n');
    assert.equal(
      got.toString('latin1', 0, end),
      `POST /r HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Length: ${body.length}`,
    );
    const digest = (b: Buffer): string => createHash('sha256').update(b).digest('hex');
    assert.equal(digest(got.subarray(end + 4)), digest(body));
    connection.destroy();
    server.close();
  });

  it('pipelines requests in one write and matches answers that arrive together, in order', async () => {
    const chunks: Buffer[] = [];
    const server = createServer((socket) => {
      socket.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (!chunk.toString('latin1').includes('GET /next')) return;
        socket.write(
          'HTTP/1.1 202 Accepted\r\nContent-Length: 15\r\n\r\n{"status":"OK"}' +
            'HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: id-2\r\nContent-Length: 2\r\n\r\n{}',
        );
      });
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const connection = await connect((server.address() as AddressInfo).port);
    const [posted, next] = connection.pipeline([
      { method: 'POST', path: '/r', headers: { 'Content-Length': 4 }, body: Buffer.from('"ok"') },
      { method: 'GET', path: '/next', headers: {} },
    ]);
    assert.equal(connection.reusable, false, 'answers are owed');
    const first = await posted;
    assert.deepEqual([first.statusCode, first.body.toString()], [202, '{"status":"OK"}']);
    const second = await next;
    assert.deepEqual(
      [second.statusCode, second.headers['lambda-runtime-aws-request-id'], second.body.toString()],
      [200, 'id-2', '{}'],
    );
    assert.equal(chunks.length, 1, 'both requests left in one write');
    assert.match(
      chunks[0]?.toString('latin1') ?? '',
      /^POST \/r [^]*"ok"GET \/next HTTP\/1\.1\r\n/,
    );
    assert.equal(connection.reusable, true);
    connection.destroy();
    server.close();
  });

  it('fails the requests still owed when the peer closes after an earlier answer', async () => {
    const p = await started((socket) =>
      socket.end('HTTP/1.1 413 Too Large\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}'),
    );
    const connection = await connect(p.port);
    const [posted, next] = connection.pipeline([
      { method: 'POST', path: '/r', headers: { 'Content-Length': 1 }, body: Buffer.from('x') },
      { method: 'GET', path: '/next', headers: {} },
    ]);
    assert.equal((await posted).statusCode, 413);
    await assert.rejects(next, { code: 'ECONNRESET' });
    assert.equal(connection.reusable, false);
  });

  it('rejects oversized heads, hang-ups mid-body and unsafe header values', async () => {
    const p = await started((socket, i) => {
      if (i === 0) socket.write(`HTTP/1.1 200 OK\r\nX-Big: ${'a'.repeat(2000)}\r\n`);
      else socket.end('HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhalf');
    });
    const small = await connect(p.port, 1024);
    await assert.rejects(small.request('GET', '/a', {}, undefined), /Header overflow/);
    assert.equal(small.reusable, false);
    const cut = await connect(p.port);
    await assert.rejects(cut.request('GET', '/b', {}, undefined), { code: 'ECONNRESET' });
    const unsafe = await connect(p.port);
    await assert.rejects(
      unsafe.request(
        'POST',
        '/c',
        { 'Lambda-Runtime-Function-Error-Type': 'a\r\nX-Injected: 1' },
        undefined,
      ),
      {
        name: 'TypeError',
        message: 'Invalid character in header content ["Lambda-Runtime-Function-Error-Type"]',
      },
    );
    await new Promise((r) => setTimeout(r, 20));
    assert.deepEqual(p.received[2], Buffer.alloc(0), 'the unsafe request never reached the wire');
    unsafe.destroy();
  });
});
