import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import { CodeMissingError, type CodeCache } from '../src/code/code-cache.js';
import type { ContainerCreateOptions, ImageInfo } from '../src/containers/container-driver.js';
import { createImageResolver } from '../src/containers/images.js';
import { createEnvironmentFactory } from '../src/invoke/environment-factory.js';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import { fakeContainer, fakeDriver, imageInfo, type FakeContainer } from './helpers/fakes.js';
import { record } from './helpers/records.js';
import { runtimeLoop } from './helpers/runtime.js';

const RUNTIME_IMAGE = 'lambdock/runtime:nodejs20.x';

function factory(
  codeCache: CodeCache,
  images: Record<string, ImageInfo> = { [RUNTIME_IMAGE]: imageInfo() },
) {
  const driver = fakeDriver(images);
  const created: Array<{ spec: ContainerCreateOptions; container: FakeContainer }> = [];
  driver.create = async (spec, onOutput) => {
    const container = fakeContainer(
      spec,
      onOutput,
      runtimeLoop(() => ({ response: '1' })),
    );
    created.push({ spec, container });
    return container;
  };
  const create = createEnvironmentFactory({
    driver,
    images: createImageResolver({
      driver,
      runtimeRepository: 'lambdock/runtime',
      pullRegistry: undefined,
    }),
    codeCache,
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
  return { create, created };
}

const code: CodeCache = {
  ensure: async () => '/var/lib/lambdock/code/abc',
  ensureLayers: async (keys) => `/var/lib/lambdock/code/layers-${keys.join('-')}`,
};

const inv = {
  requestId: 'r1',
  payload: Buffer.from('{}'),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
  timeoutMs: 1000,
};

describe('environment factory', () => {
  it('starts with a full core for init and lowers it to the function share at the first /next', async () => {
    const { create, created } = factory(code);
    const env = await create(record({ memoryMb: 128 }), 'e1');
    const [first] = created;
    assert.ok(first);
    assert.equal(first.spec.HostConfig?.NanoCpus, 1_000_000_000);
    assert.deepEqual(first.spec.HostConfig?.Mounts, [
      { Type: 'bind', Source: '/var/lib/lambdock/code/abc', Target: '/var/task', ReadOnly: true },
    ]);
    assert.equal((await env.invoke(inv)).outcome, 'success');
    assert.deepEqual(first.container.cpuUpdates, [250_000_000]);
    await env.destroy();
  });

  it("mounts a zip function's layers at /opt, merged in the function's order", async () => {
    const { create, created } = factory(code);
    const layers = [
      { arn: 'arn:aws:lambda:us-east-1:000000000000:layer:b:1', codeKey: 'bb', codeSize: 1 },
      { arn: 'arn:aws:lambda:us-east-1:000000000000:layer:a:4', codeKey: 'aa', codeSize: 1 },
    ];
    const env = await create(record({ layers }), 'e5');
    assert.deepEqual(created[0]?.spec.HostConfig?.Mounts, [
      { Type: 'bind', Source: '/var/lib/lambdock/code/abc', Target: '/var/task', ReadOnly: true },
      {
        Type: 'bind',
        Source: '/var/lib/lambdock/code/layers-bb-aa',
        Target: '/opt',
        ReadOnly: true,
      },
    ]);
    await env.destroy();
  });

  it('reports a layer that cannot be used as a code problem', async () => {
    const badLayers: CodeCache = {
      ensure: async () => '/var/lib/lambdock/code/abc',
      ensureLayers: async () => {
        throw new CodeMissingError('code of layer is not stored');
      },
    };
    const { create, created } = factory(badLayers);
    const layers = [{ arn: 'arn:aws:lambda:us-east-1:0:layer:a:1', codeKey: 'aa', codeSize: 1 }];
    await assert.rejects(create(record({ layers }), 'e6'), {
      failure: 'code-missing',
      message: 'code of layer is not stored',
    });
    assert.equal(created.length, 0);
  });

  it('keeps the quota of a function whose share already exceeds the init allowance', async () => {
    const { create, created } = factory(code);
    const env = await create(record({ memoryMb: 3538 }), 'e2');
    await env.invoke(inv);
    assert.equal(created[0]?.spec.HostConfig?.NanoCpus, 2_000_000_000);
    assert.deepEqual(created[0]?.container.cpuUpdates, []);
    await env.destroy();
  });

  it('reports a missing image ahead of a code problem found at the same time', async () => {
    const missingCode: CodeCache = {
      ensure: async () => {
        throw new CodeMissingError('code is not stored');
      },
      ensureLayers: async () => '/unused',
    };
    const { create, created } = factory(missingCode, {});
    await assert.rejects(create(record(), 'e3'), (err: unknown) => {
      assert.ok(err instanceof InvokeSystemError);
      assert.deepEqual(
        [err.failure, err.message],
        ['image-missing', `Image not found: ${RUNTIME_IMAGE}`],
      );
      return true;
    });
    const { create: withImage } = factory(missingCode);
    await assert.rejects(withImage(record(), 'e4'), {
      failure: 'code-missing',
      message: 'code is not stored',
    });
    assert.equal(created.length, 0);
  });
});
