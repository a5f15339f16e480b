import assert from 'node:assert/strict';
import { Agent } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import {
  createInvocationSlot,
  type Invocation,
  type InvocationSlot,
} from '../src/runtime-api/invocation-slot.js';
import { startRuntimeApiServer, type RuntimeApiServer } from '../src/runtime-api/server.js';
import { API, call, json } from './helpers/http.js';

const LIMIT = 1024;
const STREAM_LIMIT = 4096;

function inv(requestId: string, extra: Partial<Invocation> = {}): Invocation {
  return {
    requestId,
    payload: Buffer.from('{"hello":"world"}'),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
    timeoutMs: 3000,
    traceId: 'Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0',
    ...extra,
  };
}

describe('runtime api over real http', () => {
  let slot: InvocationSlot;
  let server: RuntimeApiServer;
  const agent = new Agent({ keepAlive: true, maxSockets: 4 });

  before(async () => {
    slot = createInvocationSlot();
    server = await startRuntimeApiServer({
      host: '127.0.0.1',
      slot,
      responseLimitBytes: LIMIT,
      streamLimitBytes: STREAM_LIMIT,
      logger: createSilentLogger(),
      restrictPeer: false,
    });
  });
  after(async () => {
    agent.destroy();
    await server.close();
  });

  // Each test gets a fresh slot behind the same server: swap it in place.
  async function fresh(): Promise<void> {
    await server.close();
    slot = createInvocationSlot();
    server = await startRuntimeApiServer({
      host: '127.0.0.1',
      slot,
      responseLimitBytes: LIMIT,
      streamLimitBytes: STREAM_LIMIT,
      logger: createSilentLogger(),
      restrictPeer: false,
    });
  }

  it('long-polls /next and answers with the event and the invocation headers', async () => {
    await fresh();
    const next = call(server.port, 'GET', `${API}/invocation/next`, { agent });
    await new Promise((r) => setTimeout(r, 30));
    const outcome = slot.submit(
      inv('id-1', {
        clientContext: '{\n "custom": {"k": "é"}\n}',
        cognitoIdentity: '{"cognitoIdentityId":"i","cognitoIdentityPoolId":"p"}',
      }),
    );
    const answer = await next;
    assert.equal(answer.status, 200);
    assert.equal(answer.text, '{"hello":"world"}');
    assert.equal(answer.headers['lambda-runtime-aws-request-id'], 'id-1');
    assert.equal(
      answer.headers['lambda-runtime-invoked-function-arn'],
      'arn:aws:lambda:us-east-1:000000000000:function:demo',
    );
    assert.match(String(answer.headers['lambda-runtime-trace-id']), /^Root=1-/);
    const deadline = Number(answer.headers['lambda-runtime-deadline-ms']);
    assert.ok(deadline > Date.now() + 2000 && deadline <= Date.now() + 3000);
    assert.deepEqual(JSON.parse(String(answer.headers['lambda-runtime-client-context'])), {
      custom: { k: 'é' },
    });
    assert.equal(
      answer.headers['lambda-runtime-cognito-identity'],
      '{"cognitoIdentityId":"i","cognitoIdentityPoolId":"p"}',
    );

    const posted = await call(server.port, 'POST', `${API}/invocation/id-1/response`, {
      agent,
      body: '"ok"',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(posted.status, 202);
    assert.deepEqual(JSON.parse(posted.text), { status: 'OK' });
    const result = await outcome;
    assert.equal(result.kind, 'response');
    if (result.kind === 'response') {
      assert.equal(result.body.toString(), '"ok"');
      assert.equal(result.contentType, 'application/json');
    }
  });

  it('answers a wrong id with 400 InvalidRequestID and no invocation with 403', async () => {
    await fresh();
    const idle = await call(server.port, 'POST', `${API}/invocation/nope/response`, { body: '1' });
    assert.equal(idle.status, 403);
    assert.equal(json(idle.text).errorType, 'InvalidStateTransition');
    void slot.submit(inv('id-2'));
    await call(server.port, 'GET', `${API}/invocation/next`);
    const wrong = await call(server.port, 'POST', `${API}/invocation/other/response`, {
      body: '1',
    });
    assert.equal(wrong.status, 400);
    assert.deepEqual(Object.keys(json(wrong.text)), ['errorMessage', 'errorType']);
    assert.equal(json(wrong.text).errorType, 'InvalidRequestID');
    const busy = await call(server.port, 'GET', `${API}/invocation/next`);
    assert.equal(busy.status, 403);
  });

  it('answers 413 past the response cap and fails the invocation as too large', async () => {
    await fresh();
    const outcome = slot.submit(inv('id-3'));
    await call(server.port, 'GET', `${API}/invocation/next`);
    const big = await call(server.port, 'POST', `${API}/invocation/id-3/response`, {
      body: Buffer.alloc(LIMIT + 1, 'x'),
    });
    assert.equal(big.status, 413);
    assert.equal(json(big.text).errorType, 'RequestEntityTooLarge');
    assert.equal(
      json(big.text).errorMessage,
      `Exceeded maximum allowed payload size (${LIMIT} bytes).`,
    );
    assert.deepEqual(await outcome, { kind: 'too-large', limitBytes: LIMIT });
  });

  it('takes the error type from the body when the header is missing (Node RIC)', async () => {
    await fresh();
    const outcome = slot.submit(inv('id-4'));
    await call(server.port, 'GET', `${API}/invocation/next`);
    const body = '{"errorType":"MyError","errorMessage":"boom","trace":["MyError: boom"]}';
    const posted = await call(server.port, 'POST', `${API}/invocation/id-4/error`, { body });
    assert.equal(posted.status, 202);
    const result = await outcome;
    assert.equal(result.kind, 'function-error');
    if (result.kind === 'function-error') {
      assert.equal(result.errorType, 'MyError');
      assert.equal(result.body.toString(), body);
    }
  });

  it('accepts a header error type and wraps a body that is not JSON', async () => {
    await fresh();
    const outcome = slot.submit(inv('id-5'));
    await call(server.port, 'GET', `${API}/invocation/next`);
    await call(server.port, 'POST', `${API}/invocation/id-5/error`, {
      body: 'plain failure',
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.Custom' },
    });
    const result = await outcome;
    assert.equal(result.kind, 'function-error');
    if (result.kind === 'function-error') {
      assert.equal(result.errorType, 'Runtime.Custom');
      assert.deepEqual(JSON.parse(result.body.toString()), {
        errorType: 'Runtime.Custom',
        errorMessage: 'plain failure',
      });
    }
  });

  it('passes on the output count a runtime sends with its answer, when it is a count', async () => {
    const cases: Array<[string, string | undefined, number | undefined]> = [
      ['response', '42', 42],
      ['error', '0', 0],
      ['response', '-1', undefined],
      ['response', '4e3', undefined],
      ['error', undefined, undefined],
    ];
    for (const [route, header, expected] of cases) {
      await fresh();
      const outcome = slot.submit(inv('id-c'));
      await call(server.port, 'GET', `${API}/invocation/next`);
      const headers: Record<string, string> =
        header === undefined ? {} : { 'Lambdock-Runtime-Output-Bytes': header };
      const body = route === 'error' ? '{"errorType":"E","errorMessage":"m"}' : '"ok"';
      await call(server.port, 'POST', `${API}/invocation/id-c/${route}`, { body, headers });
      const result = await outcome;
      assert.ok(result.kind === 'response' || result.kind === 'function-error');
      assert.equal(result.outputBytes, expected, `${route} ${header}`);
    }
  });

  it('reads streamed responses and their error trailers', async () => {
    await fresh();
    const ok = slot.submit(inv('id-6'));
    await call(server.port, 'GET', `${API}/invocation/next`);
    const streamed = await call(server.port, 'POST', `${API}/invocation/id-6/response`, {
      body: 'chunk-1 chunk-2',
      headers: {
        'Lambda-Runtime-Function-Response-Mode': 'streaming',
        'Content-Type': 'application/octet-stream',
      },
      trailers: {},
    });
    assert.equal(streamed.status, 202);
    const done = await ok;
    assert.equal(done.kind === 'response' && done.body.toString(), 'chunk-1 chunk-2');

    const failing = slot.submit(inv('id-7'));
    await call(server.port, 'GET', `${API}/invocation/next`);
    const errorBody = Buffer.from(
      '{"errorType":"Error","errorMessage":"mid-stream","trace":[]}',
    ).toString('base64');
    await call(server.port, 'POST', `${API}/invocation/id-7/response`, {
      body: 'partial',
      headers: { 'Lambda-Runtime-Function-Response-Mode': 'streaming' },
      trailers: {
        'Lambda-Runtime-Function-Error-Type': 'Error',
        'Lambda-Runtime-Function-Error-Body': errorBody,
      },
    });
    const failed = await failing;
    assert.equal(failed.kind, 'function-error');
    if (failed.kind === 'function-error')
      assert.equal(json(failed.body.toString()).errorMessage, 'mid-stream');
  });

  it('relays a taken stream past the response cap up to the stream cap, keeping the first bytes', async () => {
    await fresh();
    const relayed: Buffer[] = [];
    const stream = (id: string) =>
      slot.submit(inv(id, { onChunk: (data) => relayed.push(Buffer.from(data)) }));
    const streamHeaders = { 'Lambda-Runtime-Function-Response-Mode': 'streaming' };
    const within = stream('id-s1');
    await call(server.port, 'GET', `${API}/invocation/next`);
    const body = Buffer.from(Array.from({ length: STREAM_LIMIT }, (_, i) => i % 251));
    const answer = await call(server.port, 'POST', `${API}/invocation/id-s1/response`, {
      body,
      headers: streamHeaders,
      trailers: {},
    });
    assert.equal(answer.status, 202);
    const done = await within;
    assert.equal(done.kind, 'response');
    if (done.kind === 'response') {
      assert.ok(done.body.equals(body.subarray(0, LIMIT)), 'the first LIMIT bytes are kept');
    }
    assert.ok(Buffer.concat(relayed).equals(body), 'every byte relayed, in order');

    relayed.length = 0;
    const over = stream('id-s2');
    await call(server.port, 'GET', `${API}/invocation/next`);
    const refused = await call(server.port, 'POST', `${API}/invocation/id-s2/response`, {
      body: Buffer.alloc(STREAM_LIMIT + 1, 0x61),
      headers: streamHeaders,
      trailers: {},
    });
    assert.equal(refused.status, 413);
    const result = await over;
    assert.deepEqual(result, { kind: 'too-large', limitBytes: STREAM_LIMIT });
    assert.ok(Buffer.concat(relayed).length <= STREAM_LIMIT, 'nothing past the cap relayed');

    // Nobody takes the stream: the response cap holds.
    const untaken = slot.submit(inv('id-s3'));
    await call(server.port, 'GET', `${API}/invocation/next`);
    const capped = await call(server.port, 'POST', `${API}/invocation/id-s3/response`, {
      body: Buffer.alloc(LIMIT + 1, 0x61),
      headers: streamHeaders,
      trailers: {},
    });
    assert.equal(capped.status, 413);
    assert.deepEqual(await untaken, { kind: 'too-large', limitBytes: LIMIT });
  });

  it('refuses an unknown response mode', async () => {
    await fresh();
    void slot.submit(inv('id-8'));
    await call(server.port, 'GET', `${API}/invocation/next`);
    const answer = await call(server.port, 'POST', `${API}/invocation/id-8/response`, {
      body: 'x',
      headers: { 'Lambda-Runtime-Function-Response-Mode': 'buffered' },
    });
    assert.equal(answer.status, 400);
    assert.equal(json(answer.text).errorType, 'InvalidFunctionResponseMode');
  });

  it('fails the waiting invocation with /init/error and refuses it after init', async () => {
    await fresh();
    const outcome = slot.submit(inv('id-9'));
    const posted = await call(server.port, 'POST', `${API}/init/error`, {
      body: '{"errorType":"Runtime.HandlerNotFound","errorMessage":"index.handler is undefined"}',
      headers: { 'Lambda-Runtime-Function-Error-Type': 'Runtime.HandlerNotFound' },
    });
    assert.equal(posted.status, 202);
    const result = await outcome;
    assert.equal(result.kind === 'init-error' && result.errorType, 'Runtime.HandlerNotFound');
    await fresh();
    void call(server.port, 'GET', `${API}/invocation/next`).catch(() => undefined);
    await new Promise((r) => setTimeout(r, 20));
    const late = await call(server.port, 'POST', `${API}/init/error`, { body: '{}' });
    assert.equal(late.status, 403);
  });

  it('answers 404 off the API and 405 for the wrong method', async () => {
    assert.equal((await call(server.port, 'GET', '/2018-06-01/runtime/nothing')).status, 404);
    assert.equal((await call(server.port, 'POST', `${API}/invocation/next`)).status, 405);
    assert.equal((await call(server.port, 'GET', '/2018-06-01/ping')).text, 'pong');
  });
});

describe('runtime api peer restriction', () => {
  it('serves only the container it was made for', async () => {
    const slot = createInvocationSlot();
    const server = await startRuntimeApiServer({
      host: '127.0.0.1',
      slot,
      responseLimitBytes: LIMIT,
      streamLimitBytes: STREAM_LIMIT,
      logger: createSilentLogger(),
      restrictPeer: true,
    });
    try {
      const early = call(server.port, 'GET', '/2018-06-01/ping');
      server.allowPeer('10.9.9.9');
      await assert.rejects(early, /socket hang up|ECONNRESET/);
    } finally {
      await server.close();
    }
    const slot2 = createInvocationSlot();
    const server2 = await startRuntimeApiServer({
      host: '127.0.0.1',
      slot: slot2,
      responseLimitBytes: LIMIT,
      streamLimitBytes: STREAM_LIMIT,
      logger: createSilentLogger(),
      restrictPeer: true,
    });
    try {
      server2.allowPeer('127.0.0.1');
      assert.equal((await call(server2.port, 'GET', '/2018-06-01/ping')).status, 200);
    } finally {
      await server2.close();
    }
  });
});
