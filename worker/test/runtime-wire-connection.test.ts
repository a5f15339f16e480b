import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { createInvocationSlot, type InvocationSlot } from '../src/runtime-api/invocation-slot.js';
import type { RuntimeApiServer } from '../src/runtime-api/server.js';
import { API } from './helpers/http.js';
import {
  NEXT,
  connectRaw,
  rawEvent as inv,
  rawServer,
  type RawRuntime,
} from './helpers/raw-runtime.js';

const post = (path: string, fields: string, body = ''): string =>
  `POST ${API}${path} HTTP/1.1\r\nHost: rt\r\n${fields}\r\n${body}`;
const statuses = (rt: RawRuntime): string[] =>
  rt.received
    .split(/HTTP\/1\.1 /)
    .slice(1)
    .map((answer) => answer.slice(0, 3));

describe('the runtime api on the wire', { timeout: 10_000 }, () => {
  let server: RuntimeApiServer | undefined;
  const sockets: RawRuntime[] = [];
  afterEach(async () => {
    for (const rt of sockets.splice(0)) rt.socket.destroy();
    await server?.close();
    server = undefined;
  });

  async function start(slot: InvocationSlot): Promise<RawRuntime> {
    server ??= await rawServer(slot);
    const rt = await connectRaw(server.port);
    sockets.push(rt);
    return rt;
  }

  /** A slot with `id` delivered to `rt`. */
  async function inFlight(id: string): Promise<{
    rt: RawRuntime;
    slot: InvocationSlot;
    outcome: ReturnType<InvocationSlot['submit']>;
  }> {
    const slot = createInvocationSlot();
    const rt = await start(slot);
    const outcome = slot.submit(inv(id));
    rt.socket.write(NEXT);
    await rt.sees(`{"event":"${id}"}`);
    return { rt, slot, outcome };
  }

  it('sends the 202 and the next waiting event in one write', async () => {
    const { rt, slot, outcome } = await inFlight('id-1');
    // The next event is queued as soon as the answer is in, before the 202 goes out.
    const second = outcome.then(() => slot.submit(inv('id-2')));
    rt.socket.write(post('/invocation/id-1/response', 'Content-Length: 4\r\n', '"ok"') + NEXT);
    await rt.sees('{"event":"id-2"}');
    const last = rt.reads.at(-1) ?? '';
    assert.match(last, /^HTTP\/1\.1 202 Accepted\r\n[\s\S]*\{"status":"OK"\}HTTP\/1\.1 200 OK\r\n/);
    assert.match(last, /\{"event":"id-2"\}$/);
    rt.socket.write(post('/invocation/id-2/response', 'Content-Length: 1\r\n', '2'));
    assert.equal((await second).kind, 'response');
  });

  it('tells a runtime that expects it to go on before it sends the body', async () => {
    const { rt, outcome } = await inFlight('id-1');
    rt.socket.write(
      post('/invocation/id-1/response', 'Content-Length: 6\r\nExpect: 100-continue\r\n'),
    );
    await rt.sees('HTTP/1.1 100 Continue\r\n\r\n');
    rt.socket.write('"body"');
    const result = await outcome;
    assert.equal(result.kind === 'response' && result.body.toString(), '"body"');
    await rt.sees('202 Accepted');
  });

  it('closes instead of guessing when a runtime expecting 100 gets a refusal', async () => {
    const { rt } = await inFlight('id-1');
    const closed = once(rt.socket, 'close');
    rt.socket.write(
      post('/invocation/other/response', 'Content-Length: 6\r\nExpect: 100-continue\r\n'),
    );
    await closed;
    assert.deepEqual(statuses(rt), ['200', '400']);
    assert.match(rt.received, /Connection: close/);
    assert.doesNotMatch(rt.received, /100 Continue/);
  });

  it('reads chunked bodies with trailers', async () => {
    const { rt, outcome } = await inFlight('id-1');
    const body = '3\r\n{"a\r\n4;ext=1\r\n":1}\r\n0\r\nX-Trailer: t\r\n\r\n';
    rt.socket.write(post('/invocation/id-1/response', 'Transfer-Encoding: chunked\r\n', body));
    const result = await outcome;
    assert.equal(result.kind === 'response' && result.body.toString(), '{"a":1}');
    await rt.sees('202 Accepted');
  });

  it('answers 413 and closes when a chunked body passes the cap', async () => {
    const { rt, outcome } = await inFlight('id-1');
    const closed = once(rt.socket, 'close');
    const chunk = `400\r\n${'x'.repeat(1024)}\r\n`;
    rt.socket.write(
      post('/invocation/id-1/response', 'Transfer-Encoding: chunked\r\n', chunk + chunk),
    );
    assert.equal((await outcome).kind, 'too-large');
    await closed;
    assert.deepEqual(statuses(rt), ['200', '413']);
  });

  it('skips the body of a request refused before reading it and serves the next', async () => {
    const { rt, outcome } = await inFlight('id-1');
    const body = '"not this one"';
    rt.socket.write(
      post('/invocation/other/response', `Content-Length: ${body.length}\r\n`, body) +
        post('/invocation/id-1/response', 'Content-Length: 4\r\n', '"ok"'),
    );
    const result = await outcome;
    assert.equal(result.kind === 'response' && result.body.toString(), '"ok"');
    await rt.sees('202 Accepted');
    assert.deepEqual(statuses(rt), ['200', '400', '202']);
  });

  it('closes after answering HTTP/1.0 and a runtime that asked to close', async () => {
    for (const request of [
      'GET /2018-06-01/ping HTTP/1.0\r\n\r\n',
      'GET /2018-06-01/ping HTTP/1.1\r\nConnection: close\r\n\r\n',
    ]) {
      const rt = await start(createInvocationSlot());
      const closed = once(rt.socket, 'close');
      rt.socket.write(request + request);
      await closed;
      assert.equal(rt.received.split('pong').length - 1, 1, request);
      assert.match(rt.received, /Connection: close\r\n/);
    }
  });

  it('answers a runtime that closed its side after asking', async () => {
    const rt = await start(createInvocationSlot());
    const closed = once(rt.socket, 'close');
    rt.socket.end('GET /2018-06-01/ping HTTP/1.1\r\n\r\n');
    await closed;
    assert.match(rt.received, /^HTTP\/1\.1 200 OK[\s\S]*pong$/);
  });

  it('refuses what it cannot read with an error body and closes', async () => {
    const cases: Array<[string, string, RegExp]> = [
      ['GET /next HTTP/9.9\r\n\r\n', '400', /MalformedRequest/],
      [
        post('/invocation/id/response', 'Content-Length: 1\r\nTransfer-Encoding: chunked\r\n'),
        '400',
        /MalformedRequest/,
      ],
      // A chunk size that is not hex, in the body of the invocation in flight.
      [
        post('/invocation/id/response', 'Transfer-Encoding: chunked\r\n', 'zz\r\n'),
        '400',
        /MalformedRequest/,
      ],
      [`GET /next HTTP/1.1\r\nX: ${'a'.repeat(17 * 1024)}`, '431', /RequestHeaderFieldsTooLarge/],
      [
        post('/invocation/id/response', 'Content-Length: 1\r\nExpect: magic\r\n'),
        '417',
        /ExpectationFailed/,
      ],
    ];
    for (const [request, status, errorType] of cases) {
      const { rt } = await inFlight('id');
      const closed = once(rt.socket, 'close');
      rt.socket.write(request);
      await closed;
      assert.deepEqual(statuses(rt), ['200', status], request.slice(0, 40));
      assert.match(rt.received, errorType);
      assert.match(rt.received, /Connection: close\r\n/);
      await server?.close();
      server = undefined;
    }
  });
});
