/**
 * Sync admission in one transaction, against a real Redis and BullMQ: the lease and the job go
 * in together for the record (`$LATEST` or a version) and the alias the gateway holds; a
 * refused lease, a changed record or a changed alias leaves neither (only a short-lived
 * placeholder that keeps BullMQ's add a no-op); what changed is held from then on and the same
 * request id can be admitted again. A version with provisioned environments is checked the
 * same way, then handed to the queue that places it.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, it } from 'node:test';
import { Queue } from 'bullmq';
import {
  ConcurrencyLeases,
  FunctionRegistry,
  QUEUES,
  VersionRegistry,
  createKeys,
  type FunctionRecord,
  type InvokeJobData,
  type InvokeJobResult,
} from '@lambdock/core';
import { createRedisSyncAdmission } from '@lambdock/gateway/sync-admission';
import { functionRecord } from '../helpers/records.js';
import { useRedis } from '../helpers/suite.js';

type ProvisionedOption = NonNullable<Parameters<typeof createRedisSyncAdmission>[0]['provisioned']>;

/** Non-ASCII in the stored JSON: its stamp must be the same in Node and in Redis. */
const record = (name: string, overrides: Partial<FunctionRecord> = {}): FunctionRecord =>
  functionRecord(name, {
    description: 'ünïcode too',
    environment: { GREETING: 'héllo' },
    ...overrides,
  });

describe('sync admission (real Redis, real BullMQ)', () => {
  const ctx = useRedis();
  const open: Array<Queue<InvokeJobData, InvokeJobResult>> = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((q) => q.close()));
  });

  async function setup(stored?: FunctionRecord, provisioned?: ProvisionedOption) {
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
    const versions = new VersionRegistry(ctx.redis, keys);
    const admission = createRedisSyncAdmission({
      redis: ctx.redis,
      keys,
      leases,
      sync,
      timeoutMs: 2000,
      ...(provisioned === undefined ? {} : { provisioned }),
    });
    const job = (requestId: string, generation: number, qualifier = '$LATEST'): InvokeJobData => ({
      requestId,
      functionName: 'demo',
      qualifier,
      invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
      payload: '{}',
      logTail: false,
      acceptedAt: Date.now(),
      generation,
    });
    const leased = () => ctx.redis.zrange(keys.functionLeases('demo'), 0, -1);
    return { prefix, keys, registry, versions, sync, admission, job, leased };
  }

  /** Versions 1 and 2 of `demo` (timeouts 11 and 12 s), and alias `live` on version 1. */
  async function publishTwo(s: Awaited<ReturnType<typeof setup>>): Promise<void> {
    for (const timeoutS of [11, 12]) {
      await s.registry.update('demo', (r) => ({ ...r, timeoutS }));
      const latest = await s.registry.get('demo');
      await s.versions.publish(latest!, { revisionId: `r${timeoutS}`, lastModified: 'now' });
    }
    await s.versions.createAlias({
      name: 'live',
      functionName: 'demo',
      functionVersion: '1',
      description: 'ünïcode',
      revisionId: 'a1',
    });
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

  it("admits a version for the version's record, and forgets a deleted version", async () => {
    const s = await setup(record('demo'));
    await publishTwo(s);
    const held = await s.admission.record('demo', '2');
    assert.deepEqual([held?.record.version, held?.record.timeoutS], ['2', 12]);
    const added = await s.admission.admitAndEnqueue(s.job('v1', 1, '2'), 'L1', held?.stamp ?? '');
    assert.deepEqual(added, { kind: 'added', route: {} });
    assert.equal((await s.sync.getJob('v1'))?.data.qualifier, '2');
    assert.deepEqual(await s.leased(), ['L1']);

    // The stamp is the version's own: $LATEST's would not admit it.
    const latest = await s.admission.record('demo');
    const wrong = await s.admission.admitAndEnqueue(s.job('v2', 1, '2'), 'L2', latest?.stamp ?? '');
    assert.deepEqual(wrong, { kind: 'stale' });

    await s.versions.deleteVersion('demo', '2');
    const gone = await s.admission.admitAndEnqueue(s.job('v3', 1, '2'), 'L3', held?.stamp ?? '');
    assert.deepEqual(gone, { kind: 'stale' });
    assert.equal(await s.admission.record('demo', '2'), undefined);
    assert.deepEqual(await s.leased(), ['L1']);
    assert.equal(await s.sync.getWaitingCount(), 1);
  });

  it('adds nothing through a changed alias, holds the new one, and admits the same id again', async () => {
    const s = await setup(record('demo'));
    await publishTwo(s);
    const alias = await s.admission.alias('demo', 'live');
    assert.equal(alias?.alias.functionVersion, '1');
    const v1 = await s.admission.record('demo', '1');
    const via = { alias: 'live', stamp: alias?.stamp ?? '' };
    const first = await s.admission.admitAndEnqueue(
      s.job('a1', 1, '1'),
      'L1',
      v1?.stamp ?? '',
      via,
    );
    assert.deepEqual(first, { kind: 'added', route: {} });

    await s.versions.updateAlias('demo', 'live', (a) => ({ ...a, functionVersion: '2' }));
    const stale = await s.admission.admitAndEnqueue(
      s.job('a2', 1, '1'),
      'L2',
      v1?.stamp ?? '',
      via,
    );
    assert.deepEqual(stale, { kind: 'stale' });
    assert.equal(await s.sync.getJob('a2'), undefined);
    assert.equal(await ctx.redis.exists(s.sync.toKey('a2')), 0, 'the placeholder is gone');
    assert.deepEqual(await s.leased(), ['L1']);

    // The new alias came back with the answer: held now, with a new stamp.
    const raw = await ctx.redis.hget(s.keys.aliases('demo'), 'live');
    await ctx.redis.hset(s.keys.aliases('demo'), 'live', 'not read again');
    const fresh = await s.admission.alias('demo', 'live');
    assert.equal(fresh?.alias.functionVersion, '2');
    assert.notEqual(fresh?.stamp, alias?.stamp);
    await ctx.redis.hset(s.keys.aliases('demo'), 'live', raw!);

    const v2 = await s.admission.record('demo', '2');
    const again = await s.admission.admitAndEnqueue(s.job('a2', 1, '2'), 'L3', v2?.stamp ?? '', {
      alias: 'live',
      stamp: fresh?.stamp ?? '',
    });
    assert.deepEqual(again, { kind: 'added', route: {} });
    assert.equal((await s.sync.getJob('a2'))?.data.qualifier, '2');
    assert.deepEqual((await s.leased()).sort(), ['L1', 'L3']);

    await s.versions.deleteAlias('demo', 'live');
    const gone = await s.admission.admitAndEnqueue(s.job('a3', 1, '2'), 'L4', v2?.stamp ?? '', {
      alias: 'live',
      stamp: fresh?.stamp ?? '',
    });
    assert.deepEqual(gone, { kind: 'stale' });
    assert.equal(await s.admission.alias('demo', 'live'), undefined);
  });

  it('checks a provisioned version the same way, then hands it to the queue that places it', async () => {
    const placed: InvokeJobData[] = [];
    const s = await setup(record('demo'), {
      covers: (name, version) => name === 'demo' && version === '1',
      queue: {
        enqueueSync: async (job) => {
          placed.push(job);
          return { workerId: 'w1' };
        },
      },
    });
    await publishTwo(s);
    const alias = await s.admission.alias('demo', 'live');
    const v1 = await s.admission.record('demo', '1');
    const via = { alias: 'live', stamp: alias?.stamp ?? '' };
    const outcome = await s.admission.admitAndEnqueue(
      s.job('p1', 1, '1'),
      'L1',
      v1?.stamp ?? '',
      via,
    );
    assert.deepEqual(outcome, { kind: 'added', route: { workerId: 'w1' } });
    assert.deepEqual(
      placed.map((j) => j.requestId),
      ['p1'],
    );
    assert.equal(await s.sync.getJob('p1'), undefined, 'not on the shared queue');
    assert.deepEqual(await s.leased(), ['L1']);

    await s.versions.updateAlias('demo', 'live', (a) => ({ ...a, description: 'changed' }));
    const stale = await s.admission.admitAndEnqueue(
      s.job('p2', 1, '1'),
      'L2',
      v1?.stamp ?? '',
      via,
    );
    assert.deepEqual(stale, { kind: 'stale' });
    assert.equal(placed.length, 1, 'nothing handed on');
    assert.deepEqual(await s.leased(), ['L1']);
  });
});
