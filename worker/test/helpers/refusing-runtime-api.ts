/**
 * @module
 * A Runtime API stand-in for runtime clients run as plain processes: it serves two events and
 * refuses the answer to the first with 413 and `Connection: close`, so a client that pipelines
 * `/next` behind its answer must ask for it again on a new connection.
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';

export interface Received {
  connection: number;
  line: string;
  body: string;
}

export interface Exchange {
  /** Every complete request, in arrival order, with the connection it came on. */
  received: Received[];
  /** The raw bytes of each read, as they arrived. */
  reads: string[];
  /** The runtime's stdout and stderr. */
  output: string;
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

/**
 * Runs `command` with AWS_LAMBDA_RUNTIME_API pointing at the stand-in, until the runtime has
 * answered the second event and asked for a third (or `timeoutMs` passed), then kills it.
 */
export async function runAgainstRefusingApi(
  command: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<Exchange> {
  const exchange: Exchange = { received: [], reads: [], output: '' };
  let finished: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finished = resolve));
  const ended = new WeakSet<Socket>();
  const answer = (socket: Socket, request: Received): void => {
    exchange.received.push(request);
    const n = exchange.received.length;
    if (n === 1 || n === 3) socket.write(event(n === 1 ? 'first' : 'second'));
    if (n === 2) {
      socket.end('HTTP/1.1 413 Too Large\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}');
      ended.add(socket);
    }
    if (n === 5) finished();
  };
  let connections = 0;
  const server = createServer((socket) => {
    const connection = connections++;
    let buffer = '';
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      exchange.reads.push(text);
      const { requests, rest } = split(buffer + text);
      buffer = rest;
      for (const r of requests) if (!ended.has(socket)) answer(socket, { connection, ...r });
    });
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const child = spawn(command, args, {
    env: {
      PATH: process.env.PATH ?? '',
      // No __pycache__ written into the repository's runtime directory by python3.
      PYTHONDONTWRITEBYTECODE: '1',
      AWS_LAMBDA_RUNTIME_API: `127.0.0.1:${port}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (c: Buffer) => (exchange.output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (exchange.output += c.toString()));
  const spawnFailed = new Promise<never>((_, reject) => child.once('error', reject));
  const timer = setTimeout(finished, timeoutMs);
  try {
    await Promise.race([done, spawnFailed]);
  } finally {
    clearTimeout(timer);
    child.kill('SIGKILL');
    server.close();
  }
  return exchange;
}
