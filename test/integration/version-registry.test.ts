/**
 * The version registry against a real Redis: versions are numbered once and never reused,
 * an unchanged definition republishes as the newest version, aliases are created once and
 * updated atomically under contention, and qualifiers resolve (weighted aliases included).
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createKeys, FunctionRegistry, VersionRegistry, type AliasRecord } from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { functionRecord } from '../helpers/records.js';

const record = functionRecord;

const at = (revisionId: string) => ({
  revisionId,
  lastModified: '2026-02-01T00:00:00.000+0000',
});

function alias(functionName: string, name: string, overrides: Partial<AliasRecord> = {}) {
  const a: AliasRecord = {
    name,
    functionName,
    functionVersion: '1',
    description: '',
    revisionId: 'a0',
    ...overrides,
  };
  return a;
}

describe('version registry (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let versions: VersionRegistry;
  let functions: FunctionRegistry;

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    const keys = createKeys(`t${randomBytes(4).toString('hex')}`);
    versions = new VersionRegistry(redis, keys);
    functions = new FunctionRegistry(redis, keys);
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('publishes an immutable snapshot under the next number', async () => {
    const latest = record('pub', { state: 'Pending', lastUpdateStatus: 'InProgress' });
    const first = await versions.publish(latest, { ...at('v1'), description: 'first' });
    assert.equal(first.created, true);
    assert.deepEqual(first.record, {
      ...latest,
      version: '1',
      description: 'first',
      revisionId: 'v1',
      lastModified: '2026-02-01T00:00:00.000+0000',
      state: 'Active',
      lastUpdateStatus: 'Successful',
    });
    assert.deepEqual(await versions.getVersion('pub', '1'), first.record);
  });

  it('returns the newest version when nothing that runs changed', async () => {
    const latest = record('same');
    const first = await versions.publish(latest, at('v1'));
    const again = await versions.publish(
      { ...latest, description: 'edited', revisionId: 'other', generation: 2 },
      at('v2'),
    );
    assert.deepEqual(again, { record: first.record, created: false });
    const changed = await versions.publish({ ...latest, timeoutS: 9 }, at('v3'));
    assert.deepEqual([changed.created, changed.record.version], [true, '2']);
  });

  it('never reuses a number after a delete; deleteAll starts the function over', async () => {
    await versions.publish(record('nums'), at('a'));
    await versions.publish(record('nums', { timeoutS: 4 }), at('b'));
    assert.equal(await versions.deleteVersion('nums', '2'), true);
    assert.equal(await versions.deleteVersion('nums', '2'), false);
    const third = await versions.publish(record('nums', { timeoutS: 5 }), at('c'));
    assert.equal(third.record.version, '3');
    assert.deepEqual(
      (await versions.listVersions('nums')).map((v) => v.version),
      ['1', '3'],
    );
    await versions.createAlias(alias('nums', 'live'));
    await versions.deleteAll('nums');
    assert.deepEqual(
      [await versions.listVersions('nums'), await versions.listAliases('nums')],
      [[], []],
    );
    const fresh = await versions.publish(record('nums'), at('d'));
    assert.equal(fresh.record.version, '1');
  });

  it('creates an alias once and updates it atomically under contention', async () => {
    assert.equal(await versions.createAlias(alias('al', 'live')), true);
    assert.equal(await versions.createAlias(alias('al', 'live', { functionVersion: '2' })), false);
    const bumps = 25;
    await Promise.all(
      Array.from({ length: bumps }, () =>
        versions.updateAlias('al', 'live', (cur) => ({
          ...cur,
          description: String(Number(cur.description || '0') + 1),
        })),
      ),
    );
    assert.equal((await versions.getAlias('al', 'live'))?.description, String(bumps));
    assert.equal(await versions.updateAlias('al', 'missing', (cur) => cur), undefined);
    await assert.rejects(
      versions.updateAlias('al', 'live', () => {
        throw new Error('refused');
      }),
      /refused/,
    );
    assert.equal((await versions.getAlias('al', 'live'))?.description, String(bumps));
    await versions.createAlias(alias('al', 'beta'));
    assert.deepEqual(
      (await versions.listAliases('al')).map((a) => a.name),
      ['beta', 'live'],
    );
    assert.equal(await versions.deleteAlias('al', 'beta'), true);
    assert.equal(await versions.deleteAlias('al', 'beta'), false);
  });

  it('resolves $LATEST, versions and weighted aliases to the record that runs', async () => {
    await functions.create(record('res', { environment: { RUNS: '$LATEST' } }));
    await versions.publish(record('res', { environment: { RUNS: '1' } }), at('r1'));
    await versions.publish(record('res', { environment: { RUNS: '2' } }), at('r2'));
    await versions.createAlias(alias('res', 'live', { additionalVersionWeights: { '2': 0.2 } }));
    const latest = () => functions.get('res');
    const runs = async (q: string | undefined, roll = 0.5) =>
      (await versions.resolve(latest, 'res', q, () => roll))?.record.environment.RUNS;
    assert.deepEqual(
      [await runs(undefined), await runs('$LATEST'), await runs('1'), await runs('2')],
      ['$LATEST', '$LATEST', '1', '2'],
    );
    assert.deepEqual([await runs('live', 0.1), await runs('live', 0.2)], ['2', '1']);
    assert.deepEqual([await runs('9'), await runs('nope')], [undefined, undefined]);
    let seed = 7;
    const random = (): number => ((seed = (seed * 48271) % 2147483647) - 1) / 2147483646;
    let two = 0;
    for (let i = 0; i < 2000; i++) {
      const r = await versions.resolve(latest, 'res', 'live', random);
      if (r?.executedVersion === '2') two += 1;
    }
    assert.ok(two > 2000 * 0.17 && two < 2000 * 0.23, `share of version 2: ${two / 2000}`);
  });
});
