/**
 * Members naming what lambdock does not keep (file systems to mount, code signing configs),
 * refused rather than ignored, and an empty list accepted as none.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  ACCOUNT,
  REGION,
  activeGateway,
  createRequestBody,
  createTestGateway,
  errorOf,
} from './helpers/test-app.js';

const BASE = '/2015-03-31/functions';

describe('members naming what lambdock does not keep', () => {
  const MOUNT = [
    {
      Arn: `arn:aws:elasticfilesystem:${REGION}:${ACCOUNT}:access-point/fsap-0123456789abcdef0`,
      LocalMountPath: '/mnt/efs',
    },
  ];
  const NO_MOUNTS =
    "lambdock does not mount file systems: leave FileSystemConfigs out (or empty), and put the files in the function's package or image, or reach the store over the network.";

  it('refuses a file system to mount, on CreateFunction and on update, and accepts none', async () => {
    const gw = createTestGateway();
    const refused = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ FileSystemConfigs: MOUNT }));
    assert.equal(refused.status, 400);
    assert.equal(refused.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.equal(errorOf(refused).message, NO_MOUNTS);
    assert.equal(await gw.registry.get('demo'), undefined);
    const created = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ FileSystemConfigs: [] }));
    assert.equal(created.status, 201);

    const active = await activeGateway();
    const update = await request(active.app)
      .put(`${BASE}/demo/configuration`)
      .send({ FileSystemConfigs: MOUNT });
    assert.equal(update.status, 400);
    assert.equal(errorOf(update).message, NO_MOUNTS);
    const notList = await request(active.app)
      .put(`${BASE}/demo/configuration`)
      .send({ FileSystemConfigs: { Arn: 'x' } });
    assert.equal(notList.status, 400);
    assert.equal(notList.headers['x-amzn-errortype'], 'ValidationException');
    assert.match(
      errorOf(notList).message ?? '',
      /at 'fileSystemConfigs' failed to satisfy constraint: Member must be a list$/,
    );
  });

  it("refuses a code signing config on CreateFunction with AWS's not-found answer, checks its ARN first, and accepts an empty one", async () => {
    const gw = createTestGateway();
    const csc = `arn:aws:lambda:${REGION}:${ACCOUNT}:code-signing-config:csc-0123456789abcdef0`;
    const refused = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ CodeSigningConfigArn: csc }));
    assert.equal(refused.status, 404);
    assert.equal(refused.headers['x-amzn-errortype'], 'CodeSigningConfigNotFoundException');
    assert.deepEqual(refused.body, {
      Type: 'User',
      Message: `The code signing configuration cannot be found. Check that the provided configuration is not deleted: ${csc}. lambdock verifies no code signatures: leave CodeSigningConfigArn out.`,
    });
    assert.equal(await gw.registry.get('demo'), undefined);
    const malformed = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ CodeSigningConfigArn: 'csc-1', Timeout: 0 }));
    assert.equal(malformed.status, 400);
    assert.equal(malformed.headers['x-amzn-errortype'], 'ValidationException');
    assert.match(errorOf(malformed).message ?? '', /^2 validation errors detected: /);
    assert.match(
      errorOf(malformed).message ?? '',
      /Value 'csc-1' at 'codeSigningConfigArn' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
    const created = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ CodeSigningConfigArn: '' }));
    assert.equal(created.status, 201);
  });
});
