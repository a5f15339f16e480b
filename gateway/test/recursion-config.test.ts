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

describe('code signing config', () => {
  it('answers an empty CodeSigningConfigArn for a function, and AWS’s 404s', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const path = (name: string) =>
      `/2020-06-30/functions/${encodeURIComponent(name)}/code-signing-config`;
    for (const name of ['demo', arn('demo')]) {
      const res = await request(gw.app).get(path(name)).expect(200);
      assert.deepEqual(res.body, { CodeSigningConfigArn: '', FunctionName: 'demo' });
    }
    const missing = await request(gw.app).get(path('nope'));
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { Type: 'User', Message: `Function not found: ${arn('nope')}` });
    const region = await request(gw.app).get(
      path('arn:aws:lambda:eu-west-1:111111111111:function:demo'),
    );
    assert.equal(region.status, 404);
    assert.equal(
      (region.body as { Message: string }).Message,
      "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
    );
  });

  it('refuses to put a config with AWS’s not-found answer, before looking the function up', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const path = (name: string) => `/2020-06-30/functions/${name}/code-signing-config`;
    const csc = 'arn:aws:lambda:us-east-1:111111111111:code-signing-config:csc-0123456789abcdef0';
    for (const name of ['demo', 'nope']) {
      const res = await request(gw.app).put(path(name)).send({ CodeSigningConfigArn: csc });
      assert.equal(res.status, 404);
      assert.equal(res.headers['x-amzn-errortype'], 'CodeSigningConfigNotFoundException');
      assert.equal(
        (res.body as { Message: string }).Message,
        `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${csc}. lambdock verifies no code signatures: a function needs no code signing config to run.`,
      );
    }
    const missing = await request(gw.app).put(path('demo')).send({});
    assert.equal(missing.status, 400);
    assert.equal(
      (missing.body as { message: string }).message,
      "1 validation error detected: Value null at 'codeSigningConfigArn' failed to satisfy constraint: Member must not be null",
    );
    for (const value of ['x', '']) {
      const malformed = await request(gw.app)
        .put(path('demo'))
        .send({ CodeSigningConfigArn: value });
      assert.equal(malformed.status, 400);
      assert.equal(malformed.headers['x-amzn-errortype'], 'ValidationException');
      assert.match(
        (malformed.body as { message: string }).message,
        new RegExp(`^1 validation error detected: Value '${value}' at 'codeSigningConfigArn'`),
      );
    }
  });

  it('deletes the config of a function that has none (204), and 404s for a missing function', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const path = (name: string) => `/2020-06-30/functions/${name}/code-signing-config`;
    await request(gw.app).delete(path('demo')).expect(204);
    const missing = await request(gw.app).delete(path('nope'));
    assert.equal(missing.status, 404);
    assert.equal(missing.headers['x-amzn-errortype'], 'ResourceNotFoundException');
  });
});
