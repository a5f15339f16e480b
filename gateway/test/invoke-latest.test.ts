/**
 * Sync invokes of `$LATEST` through the gateway's admission: the lease and the add leave
 * together, on condition that the record is still the one the job was built from. A changed
 * record starts the invoke over from the new one; a refused lease is never given back (it was
 * never taken).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { THROTTLE_REASONS } from '@lambdock/core';
import type { AdmitOutcome, SyncAdmission } from '../src/deps.js';
import {
  activeRecord,
  createTestGateway,
  errorOf,
  invokePath,
  reply,
  seed,
  type TestGateway,
} from './helpers/test-app.js';

type Step = 'added' | 'stale' | 'throttled' | 'deleted';

/**
 * An admission whose answers follow `steps` (then `added`); every stale answer moves the
 * record's stamp on, `deleted` removes the function and answers stale.
 */
function scriptedGateway(steps: Step[]) {
  const calls: Array<{ stamp: string; leaseId: string; generation: number | undefined }> = [];
  let stamp = 0;
  const ref: { gw?: TestGateway } = {};
  const admission: SyncAdmission = {
    async record(name) {
      const record = await ref.gw?.registry.get(name);
      return record === undefined ? undefined : { record, stamp: `s${stamp}` };
    },
    async admitAndEnqueue(job, leaseId, given): Promise<AdmitOutcome> {
      calls.push({ stamp: given, leaseId, generation: job.generation });
      const step = steps.shift() ?? 'added';
      if (step === 'throttled') return { kind: 'throttled', reason: THROTTLE_REASONS.RESERVED };
      if (step === 'added') return { kind: 'added', route: await ref.gw!.queue.enqueueSync(job) };
      if (step === 'deleted') await ref.gw?.registry.delete(job.functionName);
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
  gw.queue.worker = (job) => reply({ requestId: job.requestId }, '"ok"');
  return { gw, calls };
}

describe('sync invokes of $LATEST', () => {
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

  it('answer 409 for a function that is not Active, before any lease', async () => {
    const { gw, calls } = scriptedGateway([]);
    await seed(gw, activeRecord('demo', { state: 'Pending' }));
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 409);
    assert.equal(calls.length, 0);
  });
});
