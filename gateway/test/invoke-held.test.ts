/**
 * Sync invokes through the gateway's admission: the lease and the add leave together, on
 * condition that the record (and the alias the version was picked through) is still the one the
 * job was built from. A changed record or alias starts the invoke over from the new one; a
 * refused lease is never given back (it was never taken).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { THROTTLE_REASONS, type AliasRecord } from '@lambdock/core';
import type { AdmitOutcome, AliasStamp, SyncAdmission } from '../src/deps.js';
import {
  activeRecord,
  createTestGateway,
  errorOf,
  invokePath,
  reply,
  seed,
  type TestGateway,
} from './helpers/test-app.js';

type Step = 'added' | 'stale' | 'throttled' | 'deleted' | 'repointed';

interface Call {
  stamp: string;
  leaseId: string;
  generation: number | undefined;
  /** The version the job runs. */
  qualifier: string;
  via: AliasStamp | undefined;
}

/**
 * An admission whose answers follow `steps` (then `added`); every stale answer moves the
 * stamps on, `deleted` removes the function and answers stale, `repointed` points alias `live`
 * at version 2 and answers stale.
 */
function scriptedGateway(steps: Step[]) {
  const calls: Call[] = [];
  let stamp = 0;
  const ref: { gw?: TestGateway } = {};
  const admission: SyncAdmission = {
    async record(name, version = '$LATEST') {
      const record =
        version === '$LATEST'
          ? await ref.gw?.registry.get(name)
          : await ref.gw?.versions.getVersion(name, version);
      return record === undefined ? undefined : { record, stamp: `s${stamp}` };
    },
    async alias(name, alias) {
      const found = await ref.gw?.versions.getAlias(name, alias);
      return found === undefined ? undefined : { alias: found, stamp: `a${stamp}` };
    },
    async admitAndEnqueue(job, leaseId, given, via): Promise<AdmitOutcome> {
      const { generation, qualifier } = job;
      calls.push({ stamp: given, leaseId, generation, qualifier, via });
      const step = steps.shift() ?? 'added';
      if (step === 'throttled') return { kind: 'throttled', reason: THROTTLE_REASONS.RESERVED };
      if (step === 'added') return { kind: 'added', route: await ref.gw!.queue.enqueueSync(job) };
      if (step === 'deleted') await ref.gw?.registry.delete(job.functionName);
      else if (step === 'repointed')
        await ref.gw?.versions.updateAlias(job.functionName, 'live', (a) => ({
          ...a,
          functionVersion: '2',
        }));
      else
        await ref.gw?.registry.update(job.functionName, (r) => ({
          ...r,
          generation: r.generation + 1,
        }));
      stamp += 1;
      return { kind: 'stale' };
    },
  };
  const gw = createTestGateway({}, { admission });
  ref.gw = gw;
  gw.queue.worker = (job) =>
    reply({ requestId: job.requestId, executedVersion: job.qualifier }, '"ok"');
  return { gw, calls };
}

/** `demo` with versions 1 and 2 (generations 1 and 2) and alias `live` on version 1. */
async function withVersions(gw: TestGateway): Promise<void> {
  for (const generation of [1, 2]) {
    const latest = activeRecord('demo', { generation, timeoutS: 10 + generation });
    await gw.versions.publish(latest, { revisionId: `v${generation}`, lastModified: 'now' });
  }
  await seed(gw, activeRecord('demo', { generation: 3 }));
  const live: AliasRecord = {
    name: 'live',
    functionName: 'demo',
    functionVersion: '1',
    description: '',
    revisionId: 'a1',
  };
  await gw.versions.createAlias(live);
}

describe('sync invokes through the admission', () => {
  it('queue the job with the lease taken in the same step, for the record held', async () => {
    const { gw, calls } = scriptedGateway(['added']);
    await seed(gw, activeRecord('demo', { generation: 7 }));
    const res = await request(gw.app).post(invokePath('demo')).send('{"a":1}');
    assert.equal(res.status, 200);
    assert.deepEqual(
      calls.map((c) => [c.stamp, c.generation]),
      [['s0', 7]],
    );
    const [job] = gw.queue.sync;
    assert.equal(job?.leaseId, calls[0]?.leaseId, 'the job carries the lease taken with it');
    assert.equal(job?.qualifier, '$LATEST');
  });

  it('start over from the new record when it changed, under the same request id', async () => {
    const { gw, calls } = scriptedGateway(['stale', 'added']);
    await seed(gw, activeRecord('demo', { generation: 7 }));
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 200);
    assert.deepEqual(
      calls.map((c) => [c.stamp, c.generation]),
      [
        ['s0', 7],
        ['s1', 8],
      ],
    );
    assert.notEqual(calls[0]?.leaseId, calls[1]?.leaseId, 'a new lease for the new attempt');
    assert.equal(gw.queue.sync.length, 1);
    assert.equal(gw.queue.sync[0]?.requestId, res.headers['x-amzn-requestid']);
    assert.deepEqual(gw.leases.released, [], 'nothing to give back: the stale step took nothing');
  });

  it('answer 404 when the function was deleted meanwhile', async () => {
    const { gw } = scriptedGateway(['deleted']);
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 404);
    assert.equal(res.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.equal(gw.queue.sync.length, 0);
  });

  it('answer 503 when the record changes at every attempt, having queued nothing', async () => {
    const { gw, calls } = scriptedGateway(['stale', 'stale', 'stale']);
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 503);
    assert.equal(errorOf(res).Type, 'Service');
    assert.equal(calls.length, 3);
    assert.equal(gw.queue.sync.length, 0);
  });

  it('answer 429 with the reason when no lease is free, giving back nothing', async () => {
    const { gw } = scriptedGateway(['throttled']);
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 429);
    assert.deepEqual(res.body, {
      Type: 'User',
      message: 'Rate Exceeded.',
      Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    assert.deepEqual(gw.leases.released, []);
    assert.equal(gw.queue.sync.length, 0);
    assert.match(
      await gw.metrics.registry.metrics(),
      /lambdock_invocations_total\{function="demo",outcome="throttled"\} 1/,
    );
  });

  it("queue a version's job for the version's record, under its stamp", async () => {
    const { gw, calls } = scriptedGateway(['added']);
    await withVersions(gw);
    const res = await request(gw.app)
      .post(`${invokePath('demo')}?Qualifier=2`)
      .send('{}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-executed-version'], '2');
    assert.deepEqual(
      calls.map((c) => [c.stamp, c.qualifier, c.generation, c.via]),
      [['s0', '2', 2, undefined]],
    );
  });

  it("queue an alias's job for the version it picked, with the alias's stamp", async () => {
    const { gw, calls } = scriptedGateway(['added']);
    await withVersions(gw);
    const res = await request(gw.app)
      .post(`${invokePath('demo')}?Qualifier=live`)
      .send('{}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-executed-version'], '1');
    assert.deepEqual(
      calls.map((c) => [c.qualifier, c.generation, c.via]),
      [['1', 1, { alias: 'live', stamp: 'a0' }]],
    );
    assert.equal(gw.queue.sync[0]?.invokedArn.endsWith(':function:demo:live'), true);
  });

  it('name the version a re-pointed alias runs now in a response stream too', async () => {
    const { gw } = scriptedGateway(['repointed', 'added']);
    await withVersions(gw);
    const res = await request(gw.app)
      .post('/2021-11-15/functions/demo/response-streaming-invocations?Qualifier=live')
      .send('{}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-executed-version'], '2');
    assert.equal(gw.queue.sync[0]?.qualifier, '2');
  });

  it('start over on the version a re-pointed alias names now', async () => {
    const { gw, calls } = scriptedGateway(['repointed', 'added']);
    await withVersions(gw);
    const res = await request(gw.app)
      .post(`${invokePath('demo')}?Qualifier=live`)
      .send('{}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-executed-version'], '2');
    assert.deepEqual(
      calls.map((c) => [c.qualifier, c.generation, c.via?.stamp]),
      [
        ['1', 1, 'a0'],
        ['2', 2, 'a1'],
      ],
    );
    assert.equal(gw.queue.sync.length, 1);
    assert.equal(gw.queue.sync[0]?.qualifier, '2');
  });

  it('answer 404 naming the qualifier for a missing version or alias, admitting nothing', async () => {
    const { gw, calls } = scriptedGateway([]);
    await withVersions(gw);
    for (const qualifier of ['9', 'gone']) {
      const res = await request(gw.app)
        .post(`${invokePath('demo')}?Qualifier=${qualifier}`)
        .send('{}');
      assert.equal(res.status, 404);
      assert.match(errorOf(res).Message ?? '', new RegExp(`function:demo:${qualifier}$`));
    }
    assert.equal(calls.length, 0);
  });

  it('answer 409 for a function that is not Active, before any lease', async () => {
    const { gw, calls } = scriptedGateway([]);
    await seed(gw, activeRecord('demo', { state: 'Pending' }));
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 409);
    assert.equal(calls.length, 0);
  });
});
