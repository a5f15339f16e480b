import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import {
  EnvironmentVanishedError,
  startEnvironment,
  type ExecutionEnvironment,
} from '../src/invoke/environment.js';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import type { Invocation } from '../src/runtime-api/invocation-slot.js';
import { fakeContainer, type ContainerBody, type FakeContainer } from './helpers/fakes.js';
import { json } from './helpers/http.js';
import { failingInit, runtimeLoop } from './helpers/runtime.js';

const inv = (requestId: string, timeoutMs = 500): Invocation => ({
  requestId,
  payload: Buffer.from(`{"id":"${requestId}"}`),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
  timeoutMs,
});

async function environment(
  body: ContainerBody,
  initTimeoutMs = 1000,
  now?: () => number,
): Promise<{ env: ExecutionEnvironment; container: () => FakeContainer }> {
  let container: FakeContainer | undefined;
  const env = await startEnvironment({
    ...(now === undefined ? {} : { now }),
    id: 'env1',
    runtimeApiHost: '127.0.0.1',
    restrictPeer: true,
    responseLimitBytes: 1024,
    streamLimitBytes: 4096,
    initTimeoutMs,
    log: { limitBytes: 4096, settleMs: 2, settleMaxMs: 20 },
    logger: createSilentLogger(),
    launch: async (runtimeApi, onOutput) => {
      container = fakeContainer({ Env: [`AWS_LAMBDA_RUNTIME_API=${runtimeApi}`] }, onOutput, body);
      return container;
    },
  });
  return { env, container: () => container as FakeContainer };
}

describe('execution environment', () => {
  it('times Duration and Init Duration on one clock, to the fraction of a millisecond', async () => {
    // A clock far from the wall clock, a quarter millisecond per reading: any stamp taken
    // with another clock would put the durations off by years.
    let t = 1000;
    const clock = (): number => (t += 0.25);
    const { env } = await environment(
      runtimeLoop(() => ({ response: '{}' })),
      1000,
      clock,
    );
    const cold = await env.invoke(inv('a'));
    const warm = await env.invoke(inv('b'));
    for (const ms of [cold.durationMs, cold.initDurationMs ?? -1, warm.durationMs]) {
      assert.ok(ms > 0 && ms < 10, `${ms} ms from readings 0.25 ms apart`);
    }
    assert.notEqual(warm.durationMs % 1, 0, 'not rounded to whole milliseconds');
    await env.destroy();
  });

  it('runs a cold then a warm invocation, reporting init only once', async () => {
    const { env } = await environment(
      runtimeLoop((event, _id, c) => {
        c.print(`got ${event}\n`);
        return { response: `{"echo":${event}}` };
      }),
    );
    const cold = await env.invoke(inv('a'));
    assert.equal(cold.outcome, 'success');
    assert.equal(cold.payload.toString(), '{"echo":{"id":"a"}}');
    assert.equal(cold.reusable, true);
    assert.ok(cold.initDurationMs !== undefined && cold.initDurationMs >= 0);
    assert.equal(cold.maxMemoryBytes, 42 * 1024 * 1024);
    assert.equal((await cold.captured).output.toString(), 'got {"id":"a"}\n');
    const warm = await env.invoke(inv('b'));
    assert.equal(warm.payload.toString(), '{"echo":{"id":"b"}}');
    assert.equal(warm.initDurationMs, undefined);
    await env.destroy();
  });

  it('keeps the environment after a handler error', async () => {
    const { env, container } = await environment(
      runtimeLoop(() => ({ error: '{"errorType":"E","errorMessage":"m"}' })),
    );
    const result = await env.invoke(inv('c'));
    assert.equal(result.outcome, 'function-error');
    assert.equal(result.errorKind, 'handler');
    assert.equal(result.reusable, true);
    assert.equal(container().killed, false);
    await env.destroy();
  });

  it('times out, answers Sandbox.Timedout and kills the container at once', async () => {
    const { env, container } = await environment(runtimeLoop(() => ({ hang: true })));
    const started = Date.now();
    const result = await env.invoke(inv('d', 200));
    const elapsed = Date.now() - started;
    assert.equal(result.errorType, 'Sandbox.Timedout');
    assert.equal(result.status, 'timeout');
    assert.equal(
      json(result.payload.toString()).errorMessage,
      'RequestId: d Error: Task timed out after 0.20 seconds',
    );
    assert.ok(elapsed >= 200 && elapsed < 1200, `took ${elapsed} ms`);
    assert.equal(result.reusable, false);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(container().killed, true);
    assert.equal(container().removed, true);
    assert.equal(env.dead, true);
  });

  it('fails with Runtime.ExitError when the process exits mid-invocation', async () => {
    const { env } = await environment(runtimeLoop(() => ({ exit: 3 })));
    const result = await env.invoke(inv('e'));
    assert.equal(result.errorType, 'Runtime.ExitError');
    assert.equal(
      json(result.payload.toString()).errorMessage,
      'RequestId: e Error: Runtime exited with error: exit status 3',
    );
    assert.equal(result.reusable, false);
  });

  it('answers the waiting invocation with the init error body', async () => {
    const body =
      '{"errorType":"Runtime.HandlerNotFound","errorMessage":"index.handler is undefined or not exported"}';
    const { env } = await environment(failingInit(body));
    const result = await env.invoke(inv('f'));
    assert.equal(result.outcome, 'function-error');
    assert.equal(result.errorKind, 'init');
    assert.equal(result.payload.toString(), body);
    assert.equal(result.reusable, false);
  });

  it('fails with Runtime.InitTimeout when the runtime never asks for an event', async () => {
    const { env, container } = await environment(() => undefined, 150);
    const result = await env.invoke(inv('g'));
    assert.equal(result.errorType, 'Runtime.InitTimeout');
    assert.equal(result.errorKind, 'init');
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(container().killed, true);
  });

  it('reports a warm environment that died before taking the event as vanished', async () => {
    const { env } = await environment(
      runtimeLoop((event) =>
        event.includes('"a"')
          ? { exitAfterError: { body: '{"errorType":"E"}', code: 129 } }
          : { response: '1' },
      ),
    );
    const first = await env.invoke(inv('a'));
    assert.equal(first.errorKind, 'handler');
    await assert.rejects(env.invoke(inv('b')), EnvironmentVanishedError);
  });

  it('charges a container the engine lost mid-run to the platform, not the function', async () => {
    const { env, container } = await environment(
      runtimeLoop((_event, _id, c) => {
        setTimeout(() => c.loseWait(), 20);
        return { hang: true };
      }),
    );
    const error: unknown = await env.invoke(inv('lost')).then(
      () => assert.fail('the invocation should not have an answer'),
      (err: unknown) => err,
    );
    assert.ok(error instanceof InvokeSystemError, String(error));
    assert.deepEqual([error.failure, error.retryable], ['engine', true]);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(container().killed, true);
    assert.equal(env.dead, true);
  });

  it('reports its own death while idle', async () => {
    const { env, container } = await environment(runtimeLoop(() => ({ response: '1' })));
    await env.invoke(inv('j'));
    const died = new Promise<void>((resolve) => env.onDeath(resolve));
    container().exit(1);
    await died;
    assert.equal(env.dead, true);
    await assert.rejects(env.invoke(inv('k')), /retired/);
  });

  it('refuses a second invocation while one runs', async () => {
    const { env } = await environment(
      runtimeLoop(async () => {
        await new Promise((r) => setTimeout(r, 50));
        return { response: '1' };
      }),
    );
    const first = env.invoke(inv('h'));
    await assert.rejects(env.invoke(inv('i')), /busy/);
    await first;
    await env.destroy();
  });
});
