import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import { createInvocationSlot } from '../src/runtime-api/invocation-slot.js';
import { startRuntimeApiServer, type RuntimeApiServer } from '../src/runtime-api/server.js';
import { API } from './helpers/http.js';
import { RawRuntime } from './helpers/raw-runtime.js';

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const TEMPLATES = [
  `GET ${API}/invocation/next HTTP/1.1\r\nHost: rt\r\n\r\n`,
  `POST ${API}/invocation/id-1/response HTTP/1.1\r\nHost: rt\r\nContent-Length: 4\r\n\r\n"ok"`,
  `POST ${API}/invocation/id-1/response HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n` +
    `2\r\n"o\r\n1;x=y\r\nk\r\n1\r\n"\r\n0\r\nLambda-Runtime-Function-Error-Type: E\r\n\r\n`,
  `POST ${API}/invocation/id-1/error HTTP/1.1\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n{}`,
  `POST ${API}/init/error HTTP/1.0\r\nContent-Length: 2\r\n\r\n{}`,
  `GET /2018-06-01/ping HTTP/1.1\r\n\r\n`,
];
const PIECES = [
  '\r\n',
  '\r',
  '\n',
  ':',
  ' ',
  '0',
  'ffffffffffffff',
  '-1',
  ';',
  '\0',
  'chunked',
  '\r\n\r\n',
];

/** A valid request or two, then damaged: bytes changed, cut, repeated or spliced in. */
function mutate(next: () => number): Buffer {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  let text = pick(TEMPLATES) + (next() < 0.3 ? pick(TEMPLATES) : '');
  const edits = 1 + Math.floor(next() * 4);
  for (let i = 0; i < edits; i++) {
    const at = Math.floor(next() * (text.length + 1));
    const kind = next();
    if (kind < 0.3) text = text.slice(0, at) + pick(PIECES) + text.slice(at);
    else if (kind < 0.5) text = text.slice(0, at) + text.slice(at + 1 + Math.floor(next() * 8));
    else if (kind < 0.7) text = text.slice(0, at);
    else if (kind < 0.9) {
      const code = Math.floor(next() * 256);
      text = text.slice(0, at) + String.fromCharCode(code) + text.slice(at + 1);
    } else text = text.slice(0, at) + text.slice(at).repeat(2);
  }
  return Buffer.from(text, 'latin1');
}

describe('the runtime api wire against damaged requests', { timeout: 60_000 }, () => {
  let server: RuntimeApiServer;
  before(async () => {
    server = await startRuntimeApiServer({
      host: '127.0.0.1',
      slot: createInvocationSlot(),
      responseLimitBytes: 1024,
      streamLimitBytes: 4096,
      logger: createSilentLogger(),
      restrictPeer: false,
    });
  });
  after(() => server.close());

  async function send(bytes: Buffer): Promise<string> {
    const socket = connect(server.port, '127.0.0.1');
    await once(socket, 'connect');
    const rt = new RawRuntime(socket);
    const closed = once(socket, 'close');
    socket.on('error', () => undefined);
    socket.end(bytes);
    // A parked /next stays open by design; anything else answers and closes.
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 100))]);
    socket.destroy();
    return rt.received;
  }

  it('answers or closes every damaged request and stays up for the next runtime', async () => {
    const next = random(20261206);
    const cases = Array.from({ length: 400 }, () => mutate(next));
    for (let i = 0; i < cases.length; i += 25) {
      const answers = await Promise.all(cases.slice(i, i + 25).map(send));
      answers.forEach((received, j) => {
        const sent = JSON.stringify(cases[i + j]?.toString('latin1'));
        for (const answer of received.split(/(?=HTTP\/1\.1 \d{3} )/).filter(Boolean)) {
          assert.match(answer, /^HTTP\/1\.1 (100|200|202|400|403|404|405|413|417|431) /, sent);
        }
      });
    }
    // Whatever state the damaged requests left, the listener still parses and answers.
    const alive = await send(Buffer.from('GET /2018-06-01/ping HTTP/1.1\r\n\r\n'));
    assert.match(alive, /^HTTP\/1\.1 200 OK\r\n[\s\S]*pong$/);
  });
});
