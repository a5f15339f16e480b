import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import { startEnvironment, type ExecutionEnvironment } from '../src/invoke/environment.js';
import type { Invocation } from '../src/runtime-api/invocation-slot.js';
import { fakeContainer, type FakeContainer } from './helpers/fakes.js';
import { runtimeLoop } from './helpers/runtime.js';

const QUARTER_CORE = 250_000_000;

const inv = (requestId: string): Invocation => ({
  requestId,
  payload: Buffer.from('{}'),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
  timeoutMs: 1000,
});

/** An environment whose container answers every event with `1`; `tweak` edits the container. */
async function environment(
  nanoCpusAfterInit: number | undefined,
  tweak: (container: FakeContainer) => void = () => undefined,
): Promise<{ env: ExecutionEnvironment; container: () => FakeContainer }> {
  let container: FakeContainer | undefined;
  const env = await startEnvironment({
    id: 'cpu1',
    runtimeApiHost: '127.0.0.1',
    restrictPeer: true,
    responseLimitBytes: 1024,
    streamLimitBytes: 4096,
    initTimeoutMs: 1000,
    log: { limitBytes: 4096, settleMs: 2, settleMaxMs: 20 },
    logger: createSilentLogger(),
    ...(nanoCpusAfterInit === undefined ? {} : { nanoCpusAfterInit }),
    launch: async (runtimeApi, onOutput) => {
      const body = runtimeLoop(() => ({ response: '1' }));
      container = fakeContainer({ Env: [`AWS_LAMBDA_RUNTIME_API=${runtimeApi}`] }, onOutput, body);
      tweak(container);
      return container;
    },
  });
  return { env, container: () => container as FakeContainer };
}

describe('execution environment CPU allowance', () => {
  it('lowers the CPU quota to the function share once, when the runtime first asks', async () => {
    const { env, container } = await environment(QUARTER_CORE);
    assert.deepEqual(container().cpuUpdates, []);
    const cold = await env.invoke(inv('a'));
    assert.deepEqual(container().cpuUpdates, [QUARTER_CORE]);
    assert.equal(cold.reusable, true);
    const warm = await env.invoke(inv('b'));
    assert.equal(warm.reusable, true);
    assert.deepEqual(container().cpuUpdates, [QUARTER_CORE]);
    await env.destroy();
  });

  it('leaves the quota alone when init gets no more than the function share', async () => {
    const { env, container } = await environment(undefined);
    await env.invoke(inv('a'));
    assert.deepEqual(container().cpuUpdates, []);
    await env.destroy();
  });

  it('never serves again when the quota could not be lowered before the answer', async () => {
    const { env, container } = await environment(QUARTER_CORE, (c) => {
      c.limitCpu = () => Promise.reject(new Error('engine says no'));
    });
    const result = await env.invoke(inv('a'));
    assert.equal(result.outcome, 'success');
    assert.equal(result.payload.toString(), '1');
    assert.equal(result.reusable, false);
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(container().killed, true);
    assert.equal(env.dead, true);
  });

  it('retires itself and tells the pool when the quota fails after the answer', async () => {
    let fail: (err: Error) => void = () => undefined;
    const { env, container } = await environment(QUARTER_CORE, (c) => {
      c.limitCpu = () => new Promise<void>((_resolve, reject) => (fail = reject));
    });
    const result = await env.invoke(inv('a'));
    assert.equal(result.reusable, true);
    const died = new Promise<void>((resolve) => env.onDeath(resolve));
    fail(new Error('engine says no'));
    await died;
    assert.equal(env.dead, true);
    assert.equal(container().killed, true);
    await assert.rejects(env.invoke(inv('b')), /retired/);
  });
});
