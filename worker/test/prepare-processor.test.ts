import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FunctionRecord, PrepareJobData } from '@lambdock/core';
import type { Job } from 'bullmq';
import { CodeMissingError } from '../src/code/code-cache.js';
import { createImageResolver, registryOf, runtimeTag } from '../src/containers/images.js';
import { createPrepareProcessor } from '../src/jobs/prepare-processor.js';
import { fakeDriver, imageInfo } from './helpers/fakes.js';
import { record } from './helpers/records.js';

function setup(
  initial: FunctionRecord,
  images: string[],
  codeOk = true,
  inspect?: () => Promise<undefined>,
) {
  let stored: FunctionRecord = initial;
  const driver = fakeDriver(Object.fromEntries(images.map((i) => [i, imageInfo()])));
  if (inspect) driver.inspectImage = inspect;
  const processor = createPrepareProcessor({
    registry: {
      get: async () => stored,
      update: async (_name, mutate) => (stored = mutate(stored)),
    },
    images: createImageResolver({
      driver,
      runtimeRepository: 'lambdock/runtime',
      pullRegistry: undefined,
    }),
    codeCache: {
      ensure: async () => {
        if (!codeOk) throw new CodeMissingError('no code');
        return '/code';
      },
      ensureLayers: async (keys) => {
        if (keys.includes('missing')) throw new CodeMissingError('code missing is not stored');
        return '/layers';
      },
    },
    checkTimeoutMs: 50,
  });
  const run = (generation: number, attemptsMade = 0, attempts = 6) =>
    processor({
      data: { functionName: initial.name, generation },
      attemptsMade,
      opts: { attempts },
    } as Job<PrepareJobData>);
  return { run, current: () => stored };
}

const pending = (overrides: Partial<FunctionRecord> = {}) =>
  record({
    state: 'Pending',
    stateReason: 'The function is being created.',
    stateReasonCode: 'Creating',
    lastUpdateStatus: 'InProgress',
    lastUpdateStatusReason: 'The function is being created.',
    lastUpdateStatusReasonCode: 'Creating',
    generation: 4,
    ...overrides,
  });

describe('prepare jobs', () => {
  it('makes a zip function with its runtime image Active and Successful, dropping reasons', async () => {
    const { run, current } = setup(pending(), ['lambdock/runtime:nodejs20.x']);
    assert.equal(await run(4), 'active');
    const r = current();
    assert.equal(r.state, 'Active');
    assert.equal(r.lastUpdateStatus, 'Successful');
    for (const key of [
      'stateReason',
      'stateReasonCode',
      'lastUpdateStatusReason',
      'lastUpdateStatusReasonCode',
    ]) {
      assert.equal(key in r, false, key);
    }
    assert.notEqual(r.revisionId, 'r1');
  });

  it('fails an image function whose image is not on the host', async () => {
    const { run, current } = setup(pending({ packageType: 'Image', imageUri: 'repo/app:1' }), []);
    assert.equal(await run(4), 'failed');
    const r = current();
    assert.equal(r.state, 'Failed');
    assert.equal(r.stateReason, 'Image not found: repo/app:1');
    assert.equal(r.stateReasonCode, 'InvalidImage');
    assert.equal(r.lastUpdateStatus, 'Failed');
    assert.equal(r.lastUpdateStatusReasonCode, 'InvalidImage');
  });

  it('fails a zip function whose code cannot be extracted', async () => {
    const { run, current } = setup(pending(), ['lambdock/runtime:nodejs20.x'], false);
    assert.equal(await run(4), 'failed');
    assert.equal(current().stateReasonCode, 'InvalidZipFileException');
  });

  it('fails a zip function one of whose layers cannot be extracted, and passes one whose layers can', async () => {
    const layer = (codeKey: string) => ({
      arn: `arn:aws:lambda:us-east-1:0:layer:${codeKey}:1`,
      codeKey,
      codeSize: 1,
    });
    const bad = setup(pending({ layers: [layer('ok'), layer('missing')] }), [
      'lambdock/runtime:nodejs20.x',
    ]);
    assert.equal(await bad.run(4), 'failed');
    assert.equal(bad.current().stateReasonCode, 'InvalidZipFileException');
    assert.equal(
      bad.current().stateReason,
      'Invalid deployment package: code missing is not stored',
    );
    const good = setup(pending({ layers: [layer('ok')] }), ['lambdock/runtime:nodejs20.x']);
    assert.equal(await good.run(4), 'active');
  });

  it('changes nothing for an outdated generation', async () => {
    const { run, current } = setup(pending(), ['lambdock/runtime:nodejs20.x']);
    assert.equal(await run(3), 'superseded');
    assert.equal(current().state, 'Pending');
  });

  it('fails the attempt on a host fault, and the function on the last attempt', async () => {
    const fault = async (): Promise<undefined> => {
      throw new Error('connect ECONNREFUSED /var/run/docker.sock');
    };
    const { run, current } = setup(pending(), [], true, fault);
    await assert.rejects(run(4, 0), /ECONNREFUSED/);
    await assert.rejects(run(4, 4), /ECONNREFUSED/);
    assert.equal(current().state, 'Pending');
    assert.equal(await run(4, 5), 'failed');
    const r = current();
    assert.equal(r.state, 'Failed');
    assert.equal(r.stateReasonCode, 'InternalError');
    assert.equal(r.lastUpdateStatusReasonCode, 'InternalError');
    assert.match(r.stateReason ?? '', /could not be prepared: .*ECONNREFUSED/);
  });

  it('keeps an updated Active function Active when a host fault fails its update', async () => {
    const fault = async (): Promise<undefined> => {
      throw new Error('connect ECONNREFUSED /var/run/docker.sock');
    };
    const updating = record({
      state: 'Active',
      lastUpdateStatus: 'InProgress',
      lastUpdateStatusReason: 'The function is being created.',
      lastUpdateStatusReasonCode: 'Creating',
      generation: 4,
    });
    const { run, current } = setup(updating, [], true, fault);
    assert.equal(await run(4, 5), 'failed');
    const r = current();
    assert.equal(r.state, 'Active');
    assert.equal(r.stateReasonCode, undefined);
    assert.equal(r.lastUpdateStatus, 'Failed');
    assert.equal(r.lastUpdateStatusReasonCode, 'InternalError');
    assert.match(r.lastUpdateStatusReason ?? '', /could not be prepared: .*ECONNREFUSED/);
    assert.notEqual(r.revisionId, updating.revisionId);
  });

  it('fails an updated function whose image is gone, whatever its state', async () => {
    const updating = record({
      packageType: 'Image',
      imageUri: 'repo/app:2',
      state: 'Active',
      lastUpdateStatus: 'InProgress',
      generation: 4,
    });
    const { run, current } = setup(updating, []);
    assert.equal(await run(4), 'failed');
    assert.equal(current().state, 'Failed');
    assert.equal(current().stateReasonCode, 'InvalidImage');
  });

  it('counts a Docker look-up that never answers as a fault', async () => {
    const hang = () => new Promise<undefined>(() => undefined);
    const { run, current } = setup(pending(), [], true, hang);
    await assert.rejects(run(4, 0), /no answer within 50 ms/);
    assert.equal(current().state, 'Pending');
    assert.equal(await run(4, 0, 1), 'failed');
    assert.match(current().stateReason ?? '', /no answer within 50 ms/);
  });

  it('maps runtimes to image tags and recognises registries', () => {
    assert.equal(runtimeTag('provided.al2023'), 'provided');
    assert.equal(runtimeTag('python3.11'), 'python3.11');
    assert.equal(registryOf('registry.local:5000/app:1'), 'registry.local:5000');
    assert.equal(registryOf('localhost/app'), 'localhost');
    assert.equal(registryOf('library/app:1'), undefined);
    assert.equal(registryOf('app'), undefined);
  });
});
