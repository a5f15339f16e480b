/**
 * `$LATEST` sync admission in one transaction, against a real Redis and BullMQ: the lease and
 * the job go in together for the record the gateway holds; a refused lease or a changed record
 * leaves neither (only a short-lived placeholder that keeps BullMQ's add a no-op); the changed
 * record is held from then on and the same request id can be admitted again.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import {
  ConcurrencyLeases,
  FunctionRegistry,
  QUEUES,
  createKeys,
  type FunctionRecord,
  type InvokeJobData,
  type InvokeJobResult,
} from '@lambdock/core';
import { createRedisSyncAdmission } from '@lambdock/gateway/sync-admission';
import { functionRecord } from '../helpers/records.js';
import { useRedis } from '../helpers/suite.js';

/** Non-ASCII in the stored JSON: its stamp must be the same in Node and in Redis. */
const record = (name: string, overrides: Partial<FunctionRecord> = {}): FunctionRecord =>
  functionRecord(name, {
    description: 'ünïcode too',
    environment: { GREETING: 'héllo' },
    ...overrides,
  });

describe('$LATEST sync admission (real Redis, real BullMQ)', () => {
  const ctx = useRedis();
  const open: Array<Queue<InvokeJobData, InvokeJobResult>> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
  });

  async function setup(stored?: FunctionRecord) {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const keys = createKeys(prefix);
    const registry = new FunctionRegistry(ctx.redis, keys);
    const leases = new ConcurrencyLeases(ctx.redis, keys, 1000, 30_000);
    const sync = new Queue<InvokeJobData, InvokeJobResult>(QUEUES.INVOKE_SYNC, {
      connection: ctx.redis,
      prefix,
    });
    open.push(sync);
    await sync.waitUntilReady();
    if (stored !== undefined) await registry.create(stored);
    const admission = createRedisSyncAdmission({
      redis: ctx.redis,
      keys,
      leases,
      sync,
      timeoutMs: 2000,
    });
    const job = (requestId: string, generation: number): InvokeJobData => ({
      requestId,
      functionName: 'demo',
      qualifier: '$LATEST',
      invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
      payload: '{}',
      logTail: false,
      acceptedAt: Date.now(),
      generation,
    });
    const leased = () => ctx.redis.zrange(keys.functionLeases('demo'), 0, -1);
    return { prefix, keys, registry, sync, admission, job, leased };
  }

  it('adds the job and takes the lease together for the record it holds', async () => {
    const s = await setup(record('demo'));
    const held = await s.admission.record('demo');
    assert.equal(held?.record.environment.GREETING, 'héllo');
    const outcome = await s.admission.admitAndEnqueue(s.job('r1', 1), 'L1', held?.stamp ?? '');
    assert.deepEqual(outcome, { kind: 'added', route: {} });
    const added = await s.sync.getJob('r1');
    assert.equal(await added?.getState(), 'waiting');
    assert.equal(added?.data.generation, 1);
    assert.deepEqual(added?.opts.removeOnComplete, true);
    assert.deepEqual(await s.leased(), ['L1']);
  });

  it('adds nothing and takes nothing when no lease is free', async () => {
    const s = await setup(record('demo'));
    await s.registry.putReservedConcurrency('demo', 0);
    const held = await s.admission.record('demo');
    const outcome = await s.admission.admitAndEnqueue(s.job('r2', 1), 'L2', held?.stamp ?? '');
    assert.deepEqual(outcome, {
      kind: 'throttled',
      reason: 'ReservedFunctionConcurrentInvocationLimitExceeded',
    });
    assert.equal(await s.sync.getWaitingCount(), 0);
    assert.deepEqual(await s.leased(), []);
    const ttl = await ctx.redis.pttl(s.sync.toKey('r2'));
    assert.ok(ttl > 0 && ttl <= 2_000, `the placeholder expires (${ttl} ms)`);
  });

  it('adds nothing for a changed record, holds the new one, and admits the same id again', async () => {
    const s = await setup(record('demo'));
    const old = await s.admission.record('demo');
    await s.registry.update('demo', (r) => ({ ...r, generation: 2, timeoutS: 9 }));
    const stale = await s.admission.admitAndEnqueue(s.job('r3', 1), 'L3', old?.stamp ?? '');
    assert.deepEqual(stale, { kind: 'stale' });
    assert.equal(await s.sync.getWaitingCount(), 0);
    assert.deepEqual(await s.leased(), []);
    assert.equal(await ctx.redis.exists(s.sync.toKey('r3')), 0, 'the placeholder is gone');

    // The new record came back with the answer: held now, with a new stamp.
    await ctx.redis.set(s.keys.function('demo'), 'not read again');
    const fresh = await s.admission.record('demo');
    assert.deepEqual([fresh?.record.generation, fresh?.record.timeoutS], [2, 9]);
    assert.notEqual(fresh?.stamp, old?.stamp);
    await ctx.redis.set(s.keys.function('demo'), JSON.stringify(fresh?.record));

    const again = await s.admission.admitAndEnqueue(s.job('r3', 2), 'L4', fresh?.stamp ?? '');
    assert.deepEqual(again, { kind: 'added', route: {} });
    assert.equal((await s.sync.getJob('r3'))?.data.generation, 2);
    assert.deepEqual(await s.leased(), ['L4']);
  });

  it('still adds under the lease when Redis lost the add script (SCRIPT FLUSH)', async () => {
    const s = await setup(record('demo'));
    const held = await s.admission.record('demo');
    const first = await s.admission.admitAndEnqueue(s.job('r6', 1), 'L6', held?.stamp ?? '');
    assert.deepEqual(first, { kind: 'added', route: {} });
    await ctx.redis.script('FLUSH');
    for (const [id, lease] of [
      ['r7', 'L7'],
      ['r8', 'L8'],
    ] as const) {
      const outcome = await s.admission.admitAndEnqueue(s.job(id, 1), lease, held?.stamp ?? '');
      assert.deepEqual(outcome, { kind: 'added', route: {} });
      assert.equal(await (await s.sync.getJob(id))?.getState(), 'waiting');
    }
    assert.deepEqual((await s.leased()).sort(), ['L6', 'L7', 'L8']);
  });

  it('takes an add back when the admission failed in the transaction', async () => {
    const s = await setup(record('demo'));
    const held = await s.admission.record('demo');
    // The lease script fails on a key of the wrong type; the add after it still ran.
    await ctx.redis.set(s.keys.functionLeases('demo'), 'not a sorted set');
    await assert.rejects(
      s.admission.admitAndEnqueue(s.job('r9', 1), 'L9', held?.stamp ?? ''),
      /WRONGTYPE/,
    );
    assert.equal(await s.sync.getJob('r9'), undefined);
    assert.equal(await s.sync.getWaitingCount(), 0);
  });

  it('forgets a deleted function, and reads a record that is not Active every time', async () => {
    const s = await setup(record('demo'));
    const held = await s.admission.record('demo');
    await s.registry.delete('demo');
    const stale = await s.admission.admitAndEnqueue(s.job('r5', 1), 'L5', held?.stamp ?? '');
    assert.deepEqual(stale, { kind: 'stale' });
    assert.equal(await s.admission.record('demo'), undefined);

    await s.registry.create(record('demo', { state: 'Pending' }));
    assert.equal((await s.admission.record('demo'))?.record.state, 'Pending');
    await s.registry.update('demo', (r) => ({ ...r, state: 'Active' }));
    assert.equal((await s.admission.record('demo'))?.record.state, 'Active');
  });
});
