/**
 * The policy store against a real Redis: a policy per function and qualifier, changes that are
 * never lost when gateways make them at once, refusals that store nothing, and a policy left
 * without statements removed.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  AppError,
  ERRORS,
  PolicyStore,
  isAppError,
  createKeys,
  type PolicyStatement,
  type ResourcePolicy,
} from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

const statement = (sid: string): PolicyStatement => ({
  Sid: sid,
  Effect: 'Allow',
  Principal: { Service: 's3.amazonaws.com' },
  Action: 'lambda:InvokeFunction',
  Resource: 'arn:aws:lambda:us-east-1:111111111111:function:fn',
});

const adding =
  (sid: string) =>
  (current: ResourcePolicy | undefined): ResourcePolicy => ({
    revisionId: randomBytes(4).toString('hex'),
    statements: [...(current?.statements ?? []), statement(sid)],
  });

describe('policy store (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let store: PolicyStore;
  const keys = createKeys(`t${randomBytes(4).toString('hex')}`);

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    store = new PolicyStore(redis, keys);
    // What the policies are of: functions, an alias and a version.
    for (const name of ['fn', 'fn2', 'fn3']) await redis.set(keys.function(name), '{}');
    await redis.hset(keys.aliases('fn'), 'live', '{}');
    await redis.set(keys.functionVersion('fn3', '1'), '{}');
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('keeps every statement of concurrent adds, per qualifier', async () => {
    const sids = Array.from({ length: 20 }, (_, i) => `s${i}`);
    await Promise.all(sids.map((sid) => store.update('fn', '', adding(sid))));
    await store.update('fn', 'live', adding('other'));
    const policy = await store.get('fn', '');
    assert.deepEqual(policy?.statements.map((s) => s.Sid).sort(), [...sids].sort());
    assert.deepEqual((await store.get('fn', 'live'))?.statements, [statement('other')]);
  });

  it('stores nothing when a change refuses, and drops a policy left empty', async () => {
    await store.update('fn2', '', adding('a'));
    await assert.rejects(
      store.update('fn2', '', () => {
        throw new AppError(ERRORS.PRECONDITION_FAILED, 'no');
      }),
      /no/,
    );
    assert.equal((await store.get('fn2', ''))?.statements.length, 1);
    const left = await store.update('fn2', '', (current) => ({
      revisionId: 'r',
      statements: (current?.statements ?? []).filter((s) => s.Sid !== 'a'),
    }));
    assert.equal(left, undefined);
    assert.equal(await store.get('fn2', ''), undefined);
  });

  it('refuses a change once what the policy is of is gone, storing nothing', async () => {
    for (const [name, qualifier] of [
      ['gone', ''],
      ['fn', 'gone-alias'],
      ['fn', '7'],
    ] as const) {
      await assert.rejects(
        store.update(name, qualifier, adding('late')),
        (err: unknown) => isAppError(err) && err.code === ERRORS.RESOURCE_NOT_FOUND.code,
      );
      assert.equal(await store.get(name, qualifier), undefined);
    }
  });

  it('deletes one qualifier’s policy, or all of a function’s', async () => {
    await store.update('fn3', '', adding('a'));
    await store.update('fn3', '1', adding('b'));
    await store.delete('fn3', '1');
    assert.equal(await store.get('fn3', '1'), undefined);
    assert.notEqual(await store.get('fn3', ''), undefined);
    await store.deleteAll('fn3');
    assert.equal(await store.get('fn3', ''), undefined);
  });
});
