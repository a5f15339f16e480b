import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeDir, RUNTIME_DIR } from './helpers/node-runtime.js';

interface Received {
  connection: number;
  line: string;
  body: string;
}

/** Each complete request in `buffer` (head and Content-Length body), and what is left over. */
function split(buffer: string): { requests: Array<{ line: string; body: string }>; rest: string } {
  const requests: Array<{ line: string; body: string }> = [];
  let rest = buffer;
  for (;;) {
    const end = rest.indexOf('\r\n\r\n');
    if (end === -1) break;
    const head = rest.slice(0, end);
    const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
    if (rest.length < end + 4 + length) break;
    requests.push({
      line: head.split('\r\n')[0] ?? '',
      body: rest.slice(end + 4, end + 4 + length),
    });
    rest = rest.slice(end + 4 + length);
  }
  return { requests, rest };
}

const event = (id: string): string =>
  `HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id: ${id}\r\n` +
  `Lambda-Runtime-Deadline-Ms: ${Date.now() + 60_000}\r\n` +
  `Lambda-Runtime-Invoked-Function-Arn: arn:aws:lambda:us-east-1:000000000000:function:demo\r\n` +
  `Content-Type: application/json\r\nContent-Length: 2\r\n\r\n{}`;

describe('node runtime pipelining /next behind its answers', { timeout: 20_000 }, () => {
  it('sends /next in the same write as the answer, and asks again when a refusal closed the connection', async () => {
    const received: Received[] = [];
    const writes: string[] = [];
    let connections = 0;
    let finished: (body: string) => void = () => undefined;
    const done = new Promise<string>((resolve) => (finished = resolve));
    // A Runtime API that refuses the first answer with 413 and Connection: close.
    const ended = new WeakSet<Socket>();
    const answer = (socket: Socket, request: Received): void => {
      received.push(request);
      const n = received.length;
      if (n === 1 || n === 3) socket.write(event(n === 1 ? 'first' : 'second'));
      if (n === 2) {
        socket.end('HTTP/1.1 413 Too Large\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}');
        ended.add(socket);
      }
      if (n === 5) finished(received[3]?.body ?? '');
    };
    const server = createServer((socket) => {
      const connection = connections++;
      let buffer = '';
      socket.setEncoding('latin1');
      socket.on('data', (text: string) => {
        writes.push(text);
        const { requests, rest } = split(buffer + text);
        buffer = rest;
        for (const r of requests) if (!ended.has(socket)) answer(socket, { connection, ...r });
      });
      socket.on('error', () => undefined);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const child = spawn(process.execPath, [join(RUNTIME_DIR, 'index.mjs')], {
      env: {
        PATH: process.env.PATH ?? '',
        AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
        _HANDLER: 'index.handler',
        LAMBDA_TASK_ROOT: codeDir(
          `export const handler = async (event, context) => context.awsRequestId;`,
        ),
        AWS_LAMBDA_FUNCTION_NAME: 'demo',
        AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
        AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    try {
      assert.equal(await done, '"second"');
    } finally {
      child.kill('SIGKILL');
      server.close();
    }
    const API = '/2018-06-01/runtime/invocation';
    assert.deepEqual(
      received.map((r) => [r.connection, r.line]),
      [
        [0, `GET ${API}/next HTTP/1.1`],
        [0, `POST ${API}/first/response HTTP/1.1`],
        [1, `GET ${API}/next HTTP/1.1`],
        [1, `POST ${API}/second/response HTTP/1.1`],
        [1, `GET ${API}/next HTTP/1.1`],
      ],
    );
    assert.ok(
      writes.some(
        (w) => w.startsWith(`POST ${API}/first/response`) && w.includes(`GET ${API}/next`),
      ),
      'the answer and the next /next left in one write',
    );
    assert.match(output, /Invocation result was not accepted/);
  });
});
