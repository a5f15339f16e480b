/**
 * The layer store against a real Redis: numbers handed out once (concurrent publishes
 * included, deleted numbers never reused), versions listed newest first, a layer listed while
 * it has a version, the zip kept under its content address after the version goes, and the
 * policy changed compare-and-set only while its version exists.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import {
  AppError,
  ERRORS,
  FunctionRegistry,
  LayerStore,
  createKeys,
  type NewLayerVersion,
} from '@lambdock/core';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

function layer(layerName: string, bytes: Buffer): NewLayerVersion {
  const digest = createHash('sha256').update(bytes).digest();
  return {
    layerName,
    description: '',
    createdDate: '2026-12-07T00:00:00.000+0000',
    codeKey: digest.toString('hex'),
    codeSha256: digest.toString('base64'),
    codeSize: bytes.length,
  };
}

describe('layer store (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let layers: LayerStore;
  let registry: FunctionRegistry;

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    const keys = createKeys(`t${randomBytes(4).toString('hex')}`);
    layers = new LayerStore(redis, keys);
    registry = new FunctionRegistry(redis, keys);
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('numbers concurrent publishes once each and lists them newest first', async () => {
    const published = await Promise.all(
      [1, 2, 3, 4, 5].map((n) =>
        layers.publish(layer('many', Buffer.from(`zip ${n}`)), Buffer.from(`zip ${n}`)),
      ),
    );
    assert.deepEqual(published.map((r) => r.version).sort(), [1, 2, 3, 4, 5]);
    assert.deepEqual(
      (await layers.listVersions('many')).map((r) => r.version),
      [5, 4, 3, 2, 1],
    );
    const third = published.find((r) => r.version === 3);
    assert.deepEqual(await layers.get('many', 3), third);
  });

  it('deletes a version, keeps its zip, never reuses its number, and unlists an empty layer', async () => {
    const bytes = Buffer.from('the only zip');
    const first = await layers.publish(layer('solo', bytes), bytes);
    assert.ok((await layers.names()).includes('solo'));
    assert.equal(await layers.delete('solo', first.version), true);
    assert.equal(await layers.delete('solo', first.version), false);
    assert.equal(await layers.get('solo', first.version), undefined);
    assert.ok(!(await layers.names()).includes('solo'));
    assert.deepEqual(await registry.getCode(first.codeKey), bytes);
    const again = await layers.publish(layer('solo', bytes), bytes);
    assert.equal(again.version, 2);
    assert.ok((await layers.names()).includes('solo'));
  });

  it('changes a policy only while its version exists, and drops it with the version', async () => {
    const bytes = Buffer.from('policy zip');
    const { version } = await layers.publish(layer('guarded', bytes), bytes);
    const notFound = () => new AppError(ERRORS.RESOURCE_NOT_FOUND, 'gone');
    const statement = {
      Sid: 's1',
      Effect: 'Allow' as const,
      Principal: '*',
      Action: 'lambda:GetLayerVersion',
      Resource: 'arn',
    };
    await Promise.all(
      ['a', 'b', 'c'].map((sid) =>
        layers.updatePolicy(
          'guarded',
          version,
          (current) => ({
            revisionId: sid,
            statements: [...(current?.statements ?? []), { ...statement, Sid: sid }],
          }),
          notFound,
        ),
      ),
    );
    const policy = await layers.getPolicy('guarded', version);
    assert.deepEqual(policy?.statements.map((s) => s.Sid).sort(), ['a', 'b', 'c']);
    await layers.delete('guarded', version);
    assert.equal(await layers.getPolicy('guarded', version), undefined);
    await assert.rejects(
      layers.updatePolicy(
        'guarded',
        version,
        () => ({ revisionId: 'x', statements: [statement] }),
        notFound,
      ),
      { message: 'gone' },
    );
    assert.equal(await layers.getPolicy('guarded', version), undefined);
  });
});
