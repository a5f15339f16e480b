import assert from 'node:assert/strict';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import { createInvocationSlot, type InvocationSlot } from '../src/runtime-api/invocation-slot.js';
import type { RuntimeApiServer } from '../src/runtime-api/server.js';
import { API } from './helpers/http.js';
import {
  NEXT,
  type RawRuntime,
  connectRaw,
  rawEvent as inv,
  rawServer,
} from './helpers/raw-runtime.js';

const PING = `GET /2018-06-01/ping HTTP/1.1\r\nHost: rt\r\n\r\n`;
const respond = (id: string, body: string): string =>
  `POST ${API}/invocation/${id}/response HTTP/1.1\r\nHost: rt\r\n` +
  `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;

describe('runtime api with pipelined requests', { timeout: 10_000 }, () => {
  let server: RuntimeApiServer | undefined;
  let runtime: RawRuntime | undefined;
  afterEach(async () => {
    runtime?.socket.destroy();
    await server?.close();
  });

  async function start(slot: InvocationSlot): Promise<RawRuntime> {
    server = await rawServer(slot);
    runtime = await connectRaw(server.port);
    return runtime;
  }

  it('takes a /next sent in the same write as the answer, and sends the 202 with its event', async () => {
    const slot = createInvocationSlot();
    const rt = await start(slot);
    const first = slot.submit(inv('id-1'));
    rt.socket.write(NEXT);
    await rt.sees('{"event":"id-1"}');

    rt.socket.write(respond('id-1', '"done"') + NEXT);
    const outcome = await first;
    assert.equal(outcome.kind, 'response');
    assert.equal(outcome.kind === 'response' && outcome.body.toString(), '"done"');
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(rt.reads.length, 1, 'the 202 waits for the event the runtime already asked for');
    const second = slot.submit(inv('id-2'));
    await rt.sees('{"event":"id-2"}');
    assert.match(rt.reads.at(-1) ?? '', /^HTTP\/1\.1 202 [\s\S]*HTTP\/1\.1 200 [\s\S]*"id-2"/);

    const answers = rt.received.split('HTTP/1.1 ').slice(1);
    assert.deepEqual(
      answers.map((answer) => answer.slice(0, 3)),
      ['200', '202', '200'],
      'the event, the 202, then the next event; no refusal of the pipelined /next',
    );
    assert.match(answers[2] ?? '', /lambda-runtime-aws-request-id: id-2/i);
    rt.socket.write(respond('id-2', '2'));
    assert.equal((await second).kind, 'response');
  });

  it('answers pipelined requests in the order they came, a refusal included', async () => {
    const slot = createInvocationSlot();
    const rt = await start(slot);
    const first = slot.submit(inv('id-1'));
    rt.socket.write(NEXT);
    await rt.sees('{"event":"id-1"}');

    rt.socket.write(respond('not-id-1', '"x"') + respond('id-1', '"ok"') + NEXT);
    assert.equal((await first).kind, 'response');
    void slot.submit(inv('id-2'));
    await rt.sees('{"event":"id-2"}');
    const statuses = rt.received
      .split('HTTP/1.1 ')
      .slice(1)
      .map((answer) => answer.slice(0, 3));
    assert.deepEqual(statuses, ['200', '400', '202', '200']);
    assert.match(rt.received, /InvalidRequestID/);
  });

  it('answers requests pipelined behind a parked /next in order once it is answered', async () => {
    const slot = createInvocationSlot();
    const rt = await start(slot);
    rt.socket.write(NEXT + PING.repeat(50));
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(rt.received, '', 'nothing behind the parked /next is answered before it');
    void slot.submit(inv('id-1'));
    await rt.sees('pong', 50);
    const statuses = rt.received
      .split('HTTP/1.1 ')
      .slice(1)
      .map((answer) => answer.slice(0, 3));
    assert.equal(statuses.length, 51);
    assert.ok(rt.received.indexOf('{"event":"id-1"}') < rt.received.indexOf('pong'));
  });

  it('cuts a connection that sends too much ahead of an answer and serves the next one', async () => {
    const slot = createInvocationSlot();
    const rt = await start(slot);
    const closed = once(rt.socket, 'close');
    rt.socket.write(NEXT + PING.repeat(2000));
    await closed;
    assert.equal(rt.received, '', 'the parked /next and the requests behind it stay unanswered');

    runtime = await connectRaw(server?.port ?? 0);
    const outcome = slot.submit(inv('id-1'));
    runtime.socket.write(NEXT);
    await runtime.sees('{"event":"id-1"}');
    runtime.socket.write(respond('id-1', '"fine"'));
    assert.equal((await outcome).kind, 'response');
  });
});
