import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import { createContainerInvoker, toInvocation } from '../src/invoke/container-invoker.js';
import { commandFor } from '../src/invoke/environment-factory.js';
import { createEnvironmentPool } from '../src/invoke/environment-pool.js';
import {
  EnvironmentVanishedError,
  type EnvInvokeResult,
  type ExecutionEnvironment,
} from '../src/invoke/environment.js';
import type { InvokeRequest } from '../src/invoke/invoker.js';
import { createTraceIdSource } from '../src/invoke/trace-id.js';
import { imageInfo } from './helpers/fakes.js';
import { record } from './helpers/records.js';

const request: InvokeRequest = {
  requestId: 'req-9',
  record: record({ memoryMb: 256 }),
  version: '$LATEST',
  payload: Buffer.from('{}'),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
  priority: 'sync',
};

const ok: EnvInvokeResult = {
  outcome: 'success',
  payload: Buffer.from('1'),
  contentType: 'application/json',
  reusable: true,
  durationMs: 1.5,
  initDurationMs: 80.25,
  maxMemoryBytes: 30 * 1024 * 1024 + 1,
  captured: Promise.resolve({
    preOutput: Buffer.alloc(0),
    output: Buffer.from('line\n'),
    truncated: false,
  }),
};

function env(id: string, answer: () => Promise<EnvInvokeResult>): ExecutionEnvironment {
  let dead = false;
  return {
    id,
    get dead() {
      return dead;
    },
    invoke: answer,
    destroy: async () => void (dead = true),
    onDeath: () => undefined,
    awaitInit: () => Promise.resolve(),
  };
}

describe('container invoker', () => {
  it('runs the event, frames its log and counts it running while it runs', async () => {
    const running: number[] = [];
    const pool = createEnvironmentPool({
      maxEnvironments: 2,
      memoryBudgetMb: 1024,
      idleTimeoutMs: 1000,
      logger: createSilentLogger(),
      create: async (_r, id) => env(id, async () => ok),
    });
    const invoker = createContainerInvoker({
      pool,
      logger: createSilentLogger(),
      logCaptureLimitBytes: 1024,
      onRunning: (d) => running.push(d),
    });
    const result = await invoker.invoke(request);
    assert.equal(result.outcome, 'success');
    assert.equal(result.coldStart, true);
    assert.deepEqual(running, [1, -1]);
    assert.equal(
      await result.log,
      'START RequestId: req-9 Version: $LATEST\nline\nEND RequestId: req-9\n' +
        'REPORT RequestId: req-9\tDuration: 1.50 ms\tBilled Duration: 2 ms\tMemory Size: 256 MB\tMax Memory Used: 31 MB\tInit Duration: 80.25 ms\t\n',
    );
    assert.equal(pool.stats().idle, 1);
  });

  it('replaces a warm environment that died before taking the event, once', async () => {
    const ids: string[] = [];
    const pool = createEnvironmentPool({
      maxEnvironments: 2,
      memoryBudgetMb: 1024,
      idleTimeoutMs: 1000,
      logger: createSilentLogger(),
      create: async (_r, id) => {
        ids.push(id);
        // The first (warm) environment has died by the time it is asked; the next one works.
        return env(id, async () => {
          if (id === ids[0]) throw new EnvironmentVanishedError(id, 129);
          return ok;
        });
      },
    });
    const warm = await pool.acquire(request.record, 'sync');
    pool.release(warm.entry, true);
    const invoker = createContainerInvoker({
      pool,
      logger: createSilentLogger(),
      logCaptureLimitBytes: 1024,
    });
    const result = await invoker.invoke(request);
    assert.equal(result.outcome, 'success');
    assert.equal(result.coldStart, true);
    assert.equal(ids.length, 2);
    assert.equal(warm.env.dead, true);
  });

  it('builds the runtime invocation with a trace id and the function timeout', () => {
    const invocation = toInvocation(
      { ...request, clientContext: '{"a":1}' },
      createTraceIdSource(),
      Date.UTC(2026, 0, 1),
    );
    assert.equal(invocation.timeoutMs, 3000);
    assert.match(
      invocation.traceId ?? '',
      /^Root=1-6955b900-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/,
    );
    assert.equal(invocation.clientContext, '{"a":1}');
  });

  it('applies ImageConfig overrides one by one', () => {
    const image = imageInfo(['img.handler'], ['/lambda-entrypoint.sh']);
    const img = (imageConfig: object) => record({ packageType: 'Image', imageConfig });
    assert.deepEqual(commandFor(record(), image), {});
    assert.deepEqual(commandFor(img({}), image), {});
    assert.deepEqual(commandFor(img({ Command: ['app.h'] }), image), { cmd: ['app.h'] });
    assert.deepEqual(commandFor(img({ EntryPoint: ['/e'] }), image), {
      entrypoint: ['/e'],
      cmd: ['img.handler'],
    });
    assert.deepEqual(commandFor(img({ WorkingDirectory: '/w' }), image), { workingDir: '/w' });
  });
});
