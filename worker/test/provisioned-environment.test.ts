import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import { buildFunctionEnv } from '../src/invoke/env-vars.js';
import {
  InitFailedError,
  startEnvironment,
  type ExecutionEnvironment,
} from '../src/invoke/environment.js';
import { fakeContainer, type ContainerBody } from './helpers/fakes.js';
import { failingInit, runtimeLoop } from './helpers/runtime.js';
import { record } from './helpers/records.js';

function environment(body: ContainerBody, initTimeoutMs = 1000): Promise<ExecutionEnvironment> {
  return startEnvironment({
    id: 'env1',
    runtimeApiHost: '127.0.0.1',
    restrictPeer: true,
    responseLimitBytes: 1024,
    streamLimitBytes: 4096,
    initTimeoutMs,
    log: { limitBytes: 4096, settleMs: 2, settleMaxMs: 20 },
    logger: createSilentLogger(),
    launch: async (runtimeApi, onOutput) =>
      fakeContainer({ Env: [`AWS_LAMBDA_RUNTIME_API=${runtimeApi}`] }, onOutput, body),
  });
}

const inv = (requestId: string) => ({
  requestId,
  payload: Buffer.from('{}'),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo:live',
  timeoutMs: 500,
});

describe('initialization ahead of traffic', () => {
  it('waits for the runtime, then its first invocation reports no Init Duration', async () => {
    const env = await environment(runtimeLoop(() => ({ response: '"ok"' })));
    await env.awaitInit();
    const first = await env.invoke(inv('a'));
    assert.equal(first.outcome, 'success');
    assert.equal(first.payload.toString(), '"ok"');
    assert.equal(first.initDurationMs, undefined);
    await env.destroy();
  });

  it('rejects when the runtime reports an init error and exits', async () => {
    const env = await environment(failingInit('{"errorType":"E","errorMessage":"m"}'));
    await assert.rejects(env.awaitInit(), InitFailedError);
    assert.equal(env.dead, true);
  });

  it('rejects when the init timeout passes first', async () => {
    const env = await environment(async () => undefined, 50);
    await assert.rejects(env.awaitInit(), /init timeout/);
    await env.destroy();
  });

  it('tells the function it was initialized for provisioned concurrency', () => {
    const env = (type?: 'provisioned-concurrency') =>
      buildFunctionEnv({
        record: record(),
        runtimeApi: '172.30.0.1:40000',
        region: 'us-east-1',
        handler: 'index.handler',
        logStreamName: 's',
        version: '1',
        ...(type === undefined ? {} : { initializationType: type }),
      }).filter((l) => l.startsWith('AWS_LAMBDA_INITIALIZATION_TYPE='));
    assert.deepEqual(env('provisioned-concurrency'), [
      'AWS_LAMBDA_INITIALIZATION_TYPE=provisioned-concurrency',
    ]);
    assert.deepEqual(env(), ['AWS_LAMBDA_INITIALIZATION_TYPE=on-demand']);
  });
});
