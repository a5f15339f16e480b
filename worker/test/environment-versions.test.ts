import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger, type FunctionRecord } from '@lambdock/core';
import type { CodeCache } from '../src/code/code-cache.js';
import type { ContainerCreateOptions } from '../src/containers/container-driver.js';
import { createImageResolver } from '../src/containers/images.js';
import { createEnvironmentFactory } from '../src/invoke/environment-factory.js';
import { createEnvironmentPool } from '../src/invoke/environment-pool.js';
import { fakeContainer, fakeDriver, fakeEnv, imageInfo, type FakeEnv } from './helpers/fakes.js';
import { record } from './helpers/records.js';
import { runtimeLoop } from './helpers/runtime.js';

function pool() {
  const created: Array<{ version: string; env: FakeEnv }> = [];
  let clock = 1_000;
  const p = createEnvironmentPool({
    maxEnvironments: 8,
    memoryBudgetMb: 8192,
    idleTimeoutMs: 60_000,
    logger: createSilentLogger(),
    now: () => clock,
    create: async (r: FunctionRecord, id: string) => {
      const env = fakeEnv(id);
      created.push({ version: r.version ?? '$LATEST', env });
      return env;
    },
  });
  return { p, created, tick: (ms: number) => (clock += ms) };
}

/** Acquire and release at once: the environment is left idle and warm. */
async function use(p: ReturnType<typeof pool>['p'], r: FunctionRecord): Promise<boolean> {
  const got = await p.acquire(r, 'sync');
  p.release(got.entry, true);
  return got.cold;
}

describe('environments per version', () => {
  const v1 = record({ version: '1', generation: 5 });
  const v2 = record({ version: '2', generation: 7 });

  it('keeps a version apart from $LATEST of the same generation', async () => {
    const { p, created } = pool();
    assert.equal(await use(p, record({ generation: 5 })), true);
    assert.equal(await use(p, v1), true);
    assert.equal(await use(p, v1), false);
    assert.deepEqual(
      created.map((c) => c.version),
      ['$LATEST', '1'],
    );
  });

  it('keeps versions warm while newer versions and $LATEST generations come and go', async () => {
    const { p, created } = pool();
    await use(p, v1);
    await use(p, v2);
    await use(p, record({ generation: 9 }));
    await use(p, record({ generation: 10 }));
    assert.deepEqual([await use(p, v1), await use(p, v2)], [false, false]);
    assert.deepEqual(
      created.map((c) => [c.version, c.env.destroyed]),
      [
        ['1', false],
        ['2', false],
        ['$LATEST', true],
        ['$LATEST', false],
      ],
    );
  });

  it('reaps an idle version’s environments by the idle timeout', async () => {
    const { p, created, tick } = pool();
    await use(p, v1);
    tick(30_000);
    await use(p, v2);
    tick(30_000);
    assert.equal(await p.reapIdle(), 1);
    assert.deepEqual(
      created.map((c) => [c.version, c.env.destroyed]),
      [
        ['1', true],
        ['2', false],
      ],
    );
  });
});

describe('environment of a published version', () => {
  const code: CodeCache = {
    ensure: async () => '/var/lib/lambdock/code/abc',
    ensureLayers: async () => '/var/lib/lambdock/code/layers',
  };

  async function envVars(r: FunctionRecord): Promise<Record<string, string>> {
    const image = 'lambdock/runtime:nodejs20.x';
    const driver = fakeDriver({ [image]: imageInfo() });
    const specs: ContainerCreateOptions[] = [];
    driver.create = async (spec, onOutput) => {
      specs.push(spec);
      return fakeContainer(
        spec,
        onOutput,
        runtimeLoop(() => ({ response: '1' })),
      );
    };
    const create = createEnvironmentFactory({
      driver,
      images: createImageResolver({
        driver,
        runtimeRepository: 'lambdock/runtime',
        pullRegistry: undefined,
      }),
      codeCache: code,
      logger: createSilentLogger(),
      settings: {
        workerId: 'w1',
        network: 'lambdock-functions',
        runtimeApiHost: '127.0.0.1',
        restrictPeer: false,
        containerUser: '993:993',
        minCpuMillicores: 250,
        hostCpus: 2,
        region: 'us-east-1',
        initTimeoutMs: 1000,
        logCaptureLimitBytes: 4096,
        streamLimitBytes: 20 * 1024 * 1024,
      },
    });
    const env = await create(r, 'e1');
    await env.destroy();
    const vars = (specs[0]?.Env ?? []).map((kv) => kv.split('=', 2) as [string, string]);
    return Object.fromEntries(vars);
  }

  it('tells the runtime its version number, in the variable and the log stream name', async () => {
    const vars = await envVars(record({ version: '3' }));
    assert.equal(vars.AWS_LAMBDA_FUNCTION_VERSION, '3');
    assert.match(vars.AWS_LAMBDA_LOG_STREAM_NAME ?? '', /^\d{4}\/\d{2}\/\d{2}\/\[3\][0-9a-f]{32}$/);
  });

  it('tells $LATEST it is $LATEST', async () => {
    const vars = await envVars(record());
    assert.equal(vars.AWS_LAMBDA_FUNCTION_VERSION, '$LATEST');
    assert.match(vars.AWS_LAMBDA_LOG_STREAM_NAME ?? '', /\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});
