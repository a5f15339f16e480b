/**
 * InvokeWithResponseStream and the legacy InvokeAsync through the real AWS SDK on a running
 * stack: a `streamifyResponse` handler's chunks reach the SDK's event stream while the handler
 * is still writing, under lambdock's runtime and under AWS's own runtime interface client; a
 * stream runs past the 6 MB of a buffered response, up to STREAM_RESPONSE_LIMIT_BYTES; a
 * buffered handler's answer arrives whole; a handler that throws midway ends the stream with
 * InvokeComplete naming the error after the bytes it wrote, and a timeout does the same with
 * `Sandbox.Timedout`; `Tail` brings the log; and InvokeAsync runs the function as an Event
 * invocation.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  InvokeAsyncCommand,
  InvokeWithResponseStreamCommand,
  type InvokeWithResponseStreamCommandInput,
  type InvokeWithResponseStreamCompleteEvent,
} from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { markedJson } from '../helpers/function-events.js';
import { createImageFunction, createNodeFunction } from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

/** The stream cap this suite's worker runs with: past the 6 MB a buffered response may have. */
const STREAM_LIMIT = 8 * 1024 * 1024;

interface Streamed {
  status: number | undefined;
  executedVersion: string | undefined;
  contentType: string | undefined;
  /** Each PayloadChunk with the time it reached the client. */
  chunks: { atMs: number; text: string }[];
  complete: InvokeWithResponseStreamCompleteEvent | undefined;
  endMs: number;
}

describe('InvokeWithResponseStream and InvokeAsync through the AWS SDK', () => {
  const ctx = useStack([RUNTIME_IMAGES.node, RUNTIME_IMAGES.ric], {
    workerEnv: { STREAM_RESPONSE_LIMIT_BYTES: String(STREAM_LIMIT) },
  });

  async function stream(input: InvokeWithResponseStreamCommandInput): Promise<Streamed> {
    const started = Date.now();
    const out = await ctx.client.send(new InvokeWithResponseStreamCommand(input));
    const result: Streamed = {
      status: out.StatusCode,
      executedVersion: out.ExecutedVersion,
      contentType: out.ResponseStreamContentType,
      chunks: [],
      complete: undefined,
      endMs: 0,
    };
    for await (const event of out.EventStream ?? []) {
      if (event.PayloadChunk?.Payload !== undefined) {
        const text = Buffer.from(event.PayloadChunk.Payload).toString();
        result.chunks.push({ atMs: Date.now() - started, text });
      }
      if (event.InvokeComplete !== undefined) result.complete = event.InvokeComplete;
    }
    result.endMs = Date.now() - started;
    return result;
  }

  const nodeFunction = (name: string, fixture: string, timeout?: number): Promise<void> =>
    createNodeFunction(ctx.client, name, fixture, timeout);
  const payload = (value: unknown): Uint8Array => Buffer.from(JSON.stringify(value));
  const body = (s: Streamed): string => s.chunks.map((c) => c.text).join('');

  it('relays a streaming handler chunk by chunk while it runs', async (t) => {
    const name = uniqueName('sdk-stream');
    await nodeFunction(name, 'node-stream', 10);
    const input = { FunctionName: name, Payload: payload({ raw: true, chunks: 3, delayMs: 200 }) };
    await stream(input); // cold start out of the way
    const s = await stream(input);
    assert.equal(s.status, 200);
    assert.equal(s.executedVersion, '$LATEST');
    assert.equal(s.contentType, 'application/octet-stream');
    assert.match(
      body(s),
      /^chunk 0 [0-9a-f-]{36}\nchunk 1 [0-9a-f-]{36}\nchunk 2 [0-9a-f-]{36}\ndone\n$/,
    );
    assert.deepEqual(s.complete, {});
    const first = s.chunks[0]?.atMs ?? Number.POSITIVE_INFINITY;
    assert.ok(s.chunks.length >= 3, `arrived in ${s.chunks.length} event(s)`);
    assert.ok(s.endMs - first >= 300, `first chunk at ${first} ms, end at ${s.endMs} ms`);
    t.diagnostic(
      `first chunk after ${first} ms, end after ${s.endMs} ms, ${s.chunks.length} chunks`,
    );
  });

  it("streams from an unmodified image run by AWS's own runtime interface client", async () => {
    const name = uniqueName('sdk-ric-stream');
    await createImageFunction(ctx.client, {
      name,
      imageUri: RUNTIME_IMAGES.ric,
      command: ['stream.handler'],
      timeout: 10,
    });
    const s = await stream({
      FunctionName: name,
      Payload: payload({ raw: true, chunks: 2, delayMs: 50, failAfter: 1 }),
    });
    assert.equal(s.status, 200);
    assert.match(body(s), /^chunk 0 [0-9a-f-]{36}\n$/);
    assert.equal(s.complete?.ErrorCode, 'Error');
    assert.equal(s.complete?.ErrorDetails, 'failed after 1 chunks');
  });

  it('streams past the 6 MB a buffered response may have, up to the stream limit', async () => {
    const name = uniqueName('sdk-stream-big');
    await nodeFunction(name, 'node-stream', 20);
    const size = 7 * 1024 * 1024;
    const s = await stream({ FunctionName: name, Payload: payload({ bytes: size }) });
    assert.equal(s.status, 200);
    const received = s.chunks.reduce((n, c) => n + c.text.length, 0);
    assert.equal(received, size);
    assert.ok(s.chunks.every((c) => /^x+$/.test(c.text)));
    assert.deepEqual(s.complete, {});

    const over = await stream({
      FunctionName: name,
      Payload: payload({ bytes: STREAM_LIMIT + 1 }),
    });
    assert.equal(over.status, 200);
    const relayed = body(over);
    assert.ok(
      relayed.length > 6 * 1024 * 1024 + 100 && relayed.length <= STREAM_LIMIT,
      `${relayed.length} bytes relayed before the limit`,
    );
    assert.match(relayed, /^x+$/);
    assert.deepEqual(over.complete, {
      ErrorCode: 'Function.ResponseSizeTooLarge',
      ErrorDetails: `Response payload size exceeded maximum allowed payload size (${STREAM_LIMIT} bytes).`,
    });
  });

  it('ends a stream that throws midway with the bytes written, then the error', async () => {
    const name = uniqueName('sdk-stream-fail');
    await nodeFunction(name, 'node-stream', 10);
    const s = await stream({
      FunctionName: name,
      Payload: payload({ raw: true, chunks: 3, delayMs: 50, failAfter: 2 }),
      LogType: 'Tail',
    });
    assert.equal(s.status, 200);
    assert.match(body(s), /^chunk 0 [0-9a-f-]{36}\nchunk 1 [0-9a-f-]{36}\n$/);
    assert.equal(s.complete?.ErrorCode, 'Error');
    assert.equal(s.complete?.ErrorDetails, 'failed after 2 chunks');
    const log = Buffer.from(s.complete?.LogResult ?? '', 'base64').toString();
    assert.match(log, /REPORT RequestId: /);
  });

  it('sends a buffered handler its answer whole, and a time-out as Sandbox.Timedout', async () => {
    const echo = uniqueName('sdk-stream-echo');
    await nodeFunction(echo, 'node-echo');
    const s = await stream({ FunctionName: echo, Payload: payload({ hello: 'stream' }) });
    assert.equal(s.status, 200);
    assert.equal(s.contentType, 'application/json');
    assert.deepEqual((JSON.parse(body(s)) as { event: unknown }).event, { hello: 'stream' });
    assert.deepEqual(s.complete, {});

    const slow = uniqueName('sdk-stream-timeout');
    await nodeFunction(slow, 'node-timeout', 1);
    const timedOut = await stream({ FunctionName: slow, Payload: payload({}) });
    assert.equal(timedOut.status, 200);
    assert.equal(body(timedOut), '');
    assert.equal(timedOut.complete?.ErrorCode, 'Sandbox.Timedout');
    assert.match(timedOut.complete?.ErrorDetails ?? '', /Task timed out after 1\.00 seconds/);
  });

  it('refuses the Event type, and runs a legacy InvokeAsync', async () => {
    const name = uniqueName('sdk-invoke-async');
    await nodeFunction(name, 'node-echo');
    await assert.rejects(
      ctx.client.send(
        new InvokeWithResponseStreamCommand({
          FunctionName: name,
          InvocationType: 'Event' as 'RequestResponse',
        }),
      ),
      { name: 'ValidationException' },
    );
    const out = await ctx.client.send(
      new InvokeAsyncCommand({ FunctionName: name, InvokeArgs: payload({ legacy: true }) }),
    );
    assert.equal(out.Status, 202);
    const events = await waitFor('the InvokeAsync event in the logs', 30_000, async () => {
      const res = await fetch(`${ctx.stack.endpoint}/2015-03-31/functions/${name}/logs?limit=100`);
      const logged = ((await res.json()) as { events: { message: string }[] }).events.flatMap((e) =>
        markedJson<{ legacy?: boolean }>(e.message, 'node-echo invoked '),
      );
      return logged.length > 0 ? logged : undefined;
    });
    assert.deepEqual(events, [{ legacy: true }]);
  });
});
