import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  activeRecord,
  arn,
  cfg,
  createRequestBody,
  createTestGateway,
  errorOf,
  seed,
} from './helpers/test-app.js';
import { publish, settle, versionGateway } from './helpers/version-gateway.js';
import { buildZip } from './helpers/zip.js';

const BASE = '/2015-03-31/functions';
const NEW_ZIP = buildZip({ 'handler.py': 'def handler(e, c):\n    return 2\n' });

describe('UpdateFunctionCode', () => {
  it('answers InProgress with the new code, bumps the generation and queues a prepare job', async () => {
    const gw = createTestGateway();
    const before = activeRecord('demo');
    await seed(gw, before);
    const res = await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64') });
    assert.equal(res.status, 200);
    assert.equal(cfg(res).LastUpdateStatus, 'InProgress');
    assert.equal(cfg(res).LastUpdateStatusReason, 'The function is being created.');
    assert.equal(cfg(res).LastUpdateStatusReasonCode, 'Creating');
    assert.equal(cfg(res).State, 'Active');
    assert.equal(cfg(res).CodeSha256, createHash('sha256').update(NEW_ZIP).digest('base64'));
    assert.notEqual(cfg(res).RevisionId, before.revisionId);
    const stored = await gw.registry.get('demo');
    assert.ok((stored?.generation ?? 0) > 1, 'the generation moved forward');
    assert.ok(gw.registry.code.has(createHash('sha256').update(NEW_ZIP).digest('hex')));
    assert.deepEqual(gw.queue.prepare, [{ functionName: 'demo', generation: stored?.generation }]);
  });

  it('refuses a second update while the first is in progress (409)', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64') })
      .expect(200);
    const res = await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64') });
    assert.equal(res.status, 409);
    assert.equal(res.headers['x-amzn-errortype'], 'ResourceConflictException');
    assert.deepEqual(res.body, {
      Type: 'User',
      message: `The operation cannot be performed at this time. An update is in progress for resource: ${arn('demo')}`,
    });
  });

  it('refuses a stale RevisionId with 412', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64'), RevisionId: 'wrong' });
    assert.equal(res.status, 412);
    assert.equal(res.headers['x-amzn-errortype'], 'PreconditionFailedException');
    assert.deepEqual(res.body, {
      Type: 'User',
      message:
        'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    });
  });

  it('refuses an update while the function is still Pending', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo', { state: 'Pending', lastUpdateStatus: undefined }));
    const res = await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64') });
    assert.equal(res.status, 409);
    assert.equal(
      errorOf(res).message,
      'The operation cannot be performed at this time. The function is currently in the following state: Pending',
    );
  });

  it('refuses an ImageUri for a zip function and a ZipFile for an image function', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    await seed(
      gw,
      activeRecord('img', {
        packageType: 'Image',
        imageUri: 'repo/img:1',
        runtime: undefined,
        handler: undefined,
      }),
    );
    const zip = await request(gw.app).put(`${BASE}/demo/code`).send({ ImageUri: 'repo/x:1' });
    assert.deepEqual(zip.body, {
      Type: 'User',
      message: "Please don't provide ImageUri when updating a function with packageType Zip.",
    });
    const img = await request(gw.app)
      .put(`${BASE}/img/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64') });
    assert.deepEqual(img.body, {
      Type: 'User',
      message: 'Please provide ImageUri when updating a function with packageType Image.',
    });
  });

  it('updates an image function to a new reference', async () => {
    const gw = createTestGateway();
    await seed(
      gw,
      activeRecord('img', {
        packageType: 'Image',
        imageUri: 'repo/img:1',
        runtime: undefined,
        handler: undefined,
      }),
    );
    const res = await request(gw.app)
      .put(`${BASE}/img/code`)
      .send({ ImageUri: 'repo/img:2' })
      .expect(200);
    assert.equal(cfg(res).CodeSha256, createHash('sha256').update('repo/img:2').digest('hex'));
    assert.equal((await gw.registry.get('img'))?.imageUri, 'repo/img:2');
  });

  it('validates without storing on DryRun', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64'), DryRun: true })
      .expect(200);
    assert.equal((await gw.registry.get('demo'))?.generation, 1);
    assert.equal(gw.queue.prepare.length, 0);
  });

  it('answers 404 with the ARN for an unknown function', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .put(`${BASE}/missing/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64') });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { Type: 'User', Message: `Function not found: ${arn('missing')}` });
  });

  it('marks the update Failed and answers 503 when the prepare job cannot be queued', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    gw.queue.down = true;
    const res = await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: NEW_ZIP.toString('base64') });
    assert.equal(res.status, 503);
    assert.equal((await gw.registry.get('demo'))?.lastUpdateStatus, 'Failed');
  });
});

describe('UpdateFunctionConfiguration', () => {
  it('answers InProgress already showing the new values', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo', { environment: { OLD_KEY: 'x' } }));
    const res = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({
        Description: 'Changed-Description',
        MemorySize: 512,
        Timeout: 10,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Environment: { Variables: { ENV_A: 'a' } },
        EphemeralStorage: { Size: 1024 },
        Role: 'arn:aws:iam::111111111111:role/other',
      });
    assert.equal(res.status, 200);
    assert.equal(cfg(res).LastUpdateStatus, 'InProgress');
    assert.equal(cfg(res).Description, 'Changed-Description');
    assert.equal(cfg(res).MemorySize, 512);
    assert.equal(cfg(res).Timeout, 10);
    assert.equal(cfg(res).Runtime, 'nodejs20.x');
    assert.equal(cfg(res).Handler, 'index.handler');
    assert.deepEqual(cfg(res).Environment, { Variables: { ENV_A: 'a' } });
    assert.deepEqual(cfg(res).EphemeralStorage, { Size: 1024 });
    assert.equal(cfg(res).Role, 'arn:aws:iam::111111111111:role/other');
    const stored = await gw.registry.get('demo');
    assert.ok((stored?.generation ?? 0) > 1, 'the generation moved forward');
    assert.deepEqual(gw.queue.prepare, [{ functionName: 'demo', generation: stored?.generation }]);
  });

  it('replaces ImageConfig wholesale and drops it when given {}', async () => {
    const gw = createTestGateway();
    await seed(
      gw,
      activeRecord('img', {
        packageType: 'Image',
        imageUri: 'repo/img:1',
        runtime: undefined,
        handler: undefined,
        imageConfig: {
          EntryPoint: ['sh'],
          Command: ['-c', 'echo test'],
          WorkingDirectory: '/app1',
        },
      }),
    );
    const partial = await request(gw.app)
      .put(`${BASE}/img/configuration`)
      .send({ ImageConfig: { Command: ['-c', 'echo test1'], WorkingDirectory: '/app1' } })
      .expect(200);
    assert.deepEqual(cfg(partial).ImageConfigResponse, {
      ImageConfig: { Command: ['-c', 'echo test1'], WorkingDirectory: '/app1' },
    });
    // What the worker's prepare job does before the next update is allowed.
    await gw.registry.update('img', (r) => ({ ...r, lastUpdateStatus: 'Successful' }));
    const empty = await request(gw.app)
      .put(`${BASE}/img/configuration`)
      .send({ ImageConfig: {} })
      .expect(200);
    assert.equal(cfg(empty).ImageConfigResponse, undefined);
  });

  it('switches LoggingConfig to JSON with INFO levels and back to Text without them', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const json = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ LoggingConfig: { LogFormat: 'JSON' } })
      .expect(200);
    assert.deepEqual(cfg(json).LoggingConfig, {
      ApplicationLogLevel: 'INFO',
      LogFormat: 'JSON',
      LogGroup: '/aws/lambda/demo',
      SystemLogLevel: 'INFO',
    });
    await gw.registry.update('demo', (r) => ({ ...r, lastUpdateStatus: 'Successful' }));
    const text = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ LoggingConfig: { LogFormat: 'Text' } })
      .expect(200);
    assert.deepEqual(cfg(text).LoggingConfig, { LogFormat: 'Text', LogGroup: '/aws/lambda/demo' });
  });

  it('refuses Handler on an image function', async () => {
    const gw = createTestGateway();
    await seed(
      gw,
      activeRecord('img', {
        packageType: 'Image',
        imageUri: 'repo/img:1',
        runtime: undefined,
        handler: undefined,
      }),
    );
    const res = await request(gw.app).put(`${BASE}/img/configuration`).send({ Handler: 'x.y' });
    assert.equal(res.status, 400);
    assert.equal(
      errorOf(res).message,
      "Please don't provide Handler or Runtime or Layer when the intended function PackageType is Image.",
    );
  });

  it('refuses an invalid Role and a stale RevisionId', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const role = await request(gw.app).put(`${BASE}/demo/configuration`).send({ Role: 'r1' });
    assert.equal(role.status, 400);
    assert.equal(role.headers['x-amzn-errortype'], 'ValidationException');
    const stale = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ Timeout: 5, RevisionId: 'wrong' });
    assert.equal(stale.status, 412);
  });

  it('refuses a qualified name: updates apply to the function itself', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app)
      .put(`${BASE}/${encodeURIComponent(arn('demo', '$LATEST'))}/configuration`)
      .send({ Timeout: 5 });
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException');
  });
});

describe('TracingConfig', () => {
  it('keeps the mode given at creation and on update, and shows it as AWS does', async () => {
    const gw = createTestGateway();
    const created = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ TracingConfig: { Mode: 'Active' } }));
    assert.equal(created.status, 201);
    assert.deepEqual(cfg(created).TracingConfig, { Mode: 'Active' });
    const got = await request(gw.app).get(`${BASE}/demo/configuration`);
    assert.deepEqual(cfg(got).TracingConfig, { Mode: 'Active' });
    await gw.registry.update('demo', (cur) => ({ ...cur, state: 'Active' }));
    const updated = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ TracingConfig: { Mode: 'PassThrough' } });
    assert.equal(updated.status, 200);
    assert.deepEqual(cfg(updated).TracingConfig, { Mode: 'PassThrough' });
    assert.equal((await gw.registry.get('demo'))?.tracingMode, undefined);
  });

  it('publishes a new version when only the mode changed, and none when the default is sent again', async () => {
    const gw = await versionGateway();
    assert.equal(cfg(await publish(gw)).Version, '1');
    const again = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ TracingConfig: { Mode: 'PassThrough' } });
    assert.equal(again.status, 200);
    await settle(gw);
    assert.equal(cfg(await publish(gw)).Version, '1');
    await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ TracingConfig: { Mode: 'Active' } });
    await settle(gw);
    assert.equal(cfg(await publish(gw)).Version, '2');
    await request(gw.app).put(`${BASE}/demo/configuration`).send({ Timeout: 7 });
    await settle(gw);
    const versions = await request(gw.app).get(`${BASE}/demo/versions`);
    const modes = (
      versions.body as { Versions: Array<{ Version: string; TracingConfig: unknown }> }
    ).Versions.map((v) => [v.Version, v.TracingConfig]);
    assert.deepEqual(modes, [
      ['$LATEST', { Mode: 'Active' }],
      ['1', { Mode: 'PassThrough' }],
      ['2', { Mode: 'Active' }],
    ]);
  });

  it('shows PassThrough when none was given and refuses a mode AWS does not have', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const got = await request(gw.app).get(`${BASE}/demo/configuration`);
    assert.deepEqual(cfg(got).TracingConfig, { Mode: 'PassThrough' });
    const refused = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ TracingConfig: { Mode: 'On' } });
    assert.equal(refused.status, 400);
    assert.equal(refused.headers['x-amzn-errortype'], 'ValidationException');
    assert.equal(
      errorOf(refused).message,
      "1 validation error detected: Value 'On' at 'tracingConfig.mode' failed to satisfy constraint: Member must satisfy enum value set: [Active, PassThrough]",
    );
    const notObject = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ TracingConfig: 'Active' });
    assert.equal(notObject.status, 400);
    assert.equal(
      errorOf(notObject).message,
      `1 validation error detected: Value '"Active"' at 'tracingConfig' failed to satisfy constraint: Member must be an object`,
    );
  });
});
