/**
 * Function URLs in RESPONSE_STREAM mode: a handler wrapped in `awslambda.streamifyResponse`
 * writes its HTTP prelude and body over time; the client gets the status, headers, cookies and
 * the first bytes while the handler is still running, then the rest.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { describe, it } from 'node:test';
import { CreateFunctionUrlConfigCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { createImageFunction, createZipFunction } from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';

interface Timed {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  chunks: { atMs: number; text: string }[];
  endMs: number;
}

function timedGet(url: string): Promise<Timed> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const req = request(url, (res) => {
      const chunks: Timed['chunks'] = [];
      res.on('data', (data: Buffer) =>
        chunks.push({ atMs: Date.now() - started, text: data.toString() }),
      );
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          chunks,
          endMs: Date.now() - started,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/**
 * Create a streaming URL for `name`, warm it, and check a second call of the `node-stream`
 * fixture: its prelude (status, headers, cookies), its body, and that the first of three
 * chunks written 200 ms apart reached the client well before the end. Returns the timings.
 */
async function assertStreams(client: LambdaClient, name: string): Promise<string> {
  const created = await client.send(
    new CreateFunctionUrlConfigCommand({
      FunctionName: name,
      AuthType: 'NONE',
      InvokeMode: 'RESPONSE_STREAM',
    }),
  );
  const url = created.FunctionUrl ?? '';
  assert.equal(created.InvokeMode, 'RESPONSE_STREAM');
  await timedGet(url); // cold start out of the way

  const res = await timedGet(url);
  assert.equal(res.status, 201);
  assert.equal(res.headers['content-type'], 'text/plain');
  assert.equal(res.headers['x-fixture'], 'node-stream');
  assert.deepEqual(res.headers['set-cookie'], ['fixture=node-stream; Path=/']);
  const body = res.chunks.map((c) => c.text).join('');
  assert.match(
    body,
    /^chunk 0 [0-9a-f-]{36}\nchunk 1 [0-9a-f-]{36}\nchunk 2 [0-9a-f-]{36}\ndone\n$/,
  );
  const first = res.chunks[0]?.atMs ?? Number.POSITIVE_INFINITY;
  assert.ok(res.chunks.length >= 3, `arrived in ${res.chunks.length} piece(s)`);
  assert.ok(res.endMs - first >= 300, `first byte at ${first} ms, end at ${res.endMs} ms`);
  return `first byte after ${first} ms, last after ${res.endMs} ms, ${res.chunks.length} pieces`;
}

describe('function URL response streaming', () => {
  const ctx = useStack([RUNTIME_IMAGES.node, RUNTIME_IMAGES.ric]);

  it('delivers the first bytes before the handler finishes', async (t) => {
    const name = uniqueName('stream');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-stream',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      timeout: 10,
    });
    t.diagnostic(await assertStreams(ctx.client, name));
  });

  it("streams from an unmodified image run by AWS's own runtime interface client", async (t) => {
    const name = uniqueName('ric-stream');
    await createImageFunction(ctx.client, {
      name,
      imageUri: RUNTIME_IMAGES.ric,
      command: ['stream.handler'],
      timeout: 10,
    });
    t.diagnostic(`aws-lambda-ric: ${await assertStreams(ctx.client, name)}`);
  });

  it('streams past the 6 MB a buffered response may have (STREAM_RESPONSE_LIMIT_BYTES, 20 MB)', async () => {
    const name = uniqueName('stream-big');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-stream',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      timeout: 20,
    });
    const created = await ctx.client.send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: name,
        AuthType: 'NONE',
        InvokeMode: 'RESPONSE_STREAM',
      }),
    );
    const send = (bytes: number) =>
      fetch(created.FunctionUrl ?? '', { method: 'POST', body: JSON.stringify({ bytes }) });
    const size = 7 * 1024 * 1024;
    const res = await send(size);
    assert.equal(res.status, 200);
    const body = Buffer.from(await res.arrayBuffer());
    assert.equal(body.length, size);
    assert.ok(body.equals(Buffer.alloc(size, 'x')), "the handler's bytes, nothing else");

    // Past the limit the function fails after its first bytes: the client sees the body cut.
    const over = await send(20 * 1024 * 1024 + 1);
    assert.equal(over.status, 200);
    await assert.rejects(over.arrayBuffer(), 'the body does not end as a whole one');
  });

  it('answers a buffered handler on a streaming URL like a buffered URL', async () => {
    const name = uniqueName('stream-buffered');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const created = await ctx.client.send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: name,
        AuthType: 'NONE',
        InvokeMode: 'RESPONSE_STREAM',
      }),
    );
    const res = await fetch(`${created.FunctionUrl ?? ''}path?x=1`);
    assert.equal(res.status, 200);
    const echoed = (await res.json()) as {
      event: { rawPath: string; rawQueryString: string; routeKey: string };
    };
    assert.deepEqual(
      [echoed.event.rawPath, echoed.event.rawQueryString, echoed.event.routeKey],
      ['/path', 'x=1', '$default'],
    );
  });
});
