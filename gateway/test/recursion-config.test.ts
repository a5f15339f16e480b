import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { activeRecord, arn, createTestGateway, seed } from './helpers/test-app.js';

const path = (name: string): string =>
  `/2024-08-31/functions/${encodeURIComponent(name)}/recursion-config`;

describe('recursion config', () => {
  it('answers Terminate by default, then what was put, by name or ARN', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const before = (await gw.registry.get('demo'))!;
    assert.deepEqual((await request(gw.app).get(path('demo')).expect(200)).body, {
      RecursiveLoop: 'Terminate',
    });
    const put = await request(gw.app)
      .put(path(arn('demo')))
      .send({ RecursiveLoop: 'Allow' })
      .expect(200);
    assert.deepEqual(put.body, { RecursiveLoop: 'Allow' });
    assert.deepEqual((await request(gw.app).get(path('demo')).expect(200)).body, {
      RecursiveLoop: 'Allow',
    });
    const after = (await gw.registry.get('demo'))!;
    assert.equal(after.generation, before.generation);
  });

  it('refuses a value outside the enum, a missing function and a qualified name', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const bad = await request(gw.app).put(path('demo')).send({ RecursiveLoop: 'InvalidValue' });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers['x-amzn-errortype'], 'ValidationException');
    assert.deepEqual(bad.body, {
      message:
        "1 validation error detected: Value 'InvalidValue' at 'recursiveLoop' failed to satisfy constraint: Member must satisfy enum value set: [Terminate, Allow]",
    });
    const missing = await request(gw.app).get(path('nope'));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { Type: 'User', Message: `Function not found: ${arn('nope')}` });
    const putMissing = await request(gw.app).put(path('nope')).send({ RecursiveLoop: 'Allow' });
    assert.equal(putMissing.status, 404);
    const qualified = await request(gw.app).get(path('demo:live'));
    assert.equal(qualified.status, 400);
    assert.equal((await gw.registry.get('demo'))!.recursiveLoop, undefined);
  });
});
