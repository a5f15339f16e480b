/**
 * A layer version's policy: AddLayerVersionPermission, GetLayerVersionPolicy and
 * RemoveLayerVersionPermission, with AWS's answers for each fault (aws-oracle 2_errors,
 * AddLayerVersionPermission/GetLayerVersionPolicy/RemoveLayerVersionPermission).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ACCOUNT, REGION, createTestGateway, errorOf } from './helpers/test-app.js';
import { buildZip } from './helpers/zip.js';

const BASE = '/2018-10-31/layers';
const VERSION_ARN = `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:deps:1`;
const POLICY = `${BASE}/deps/versions/1/policy`;
interface Added {
  Statement: string;
  RevisionId: string;
}
interface Policy {
  Policy: string;
  RevisionId: string;
}
interface PolicyDocument {
  Version: string;
  Id: string;
  Statement: { Principal: unknown; Condition?: unknown }[];
}
const grant = (sid: string, principal = '*') => ({
  StatementId: sid,
  Action: 'lambda:GetLayerVersion',
  Principal: principal,
});

async function withLayer() {
  const gw = createTestGateway();
  const res = await request(gw.app)
    .post(`${BASE}/deps/versions`)
    .send({ Content: { ZipFile: buildZip({ 'python/x.py': 'X = 1\n' }).toString('base64') } });
  assert.equal(res.status, 201);
  return gw;
}

describe('layer version policies', () => {
  it('adds statements, shows the policy document, and removes them', async () => {
    const gw = await withLayer();
    const added = await request(gw.app).post(POLICY).send(grant('s1'));
    assert.equal(added.status, 201);
    assert.deepEqual(JSON.parse((added.body as Added).Statement), {
      Sid: 's1',
      Effect: 'Allow',
      Principal: '*',
      Action: 'lambda:GetLayerVersion',
      Resource: VERSION_ARN,
    });
    const second = await request(gw.app)
      .post(POLICY)
      .send({ ...grant('s2', '222222222222'), OrganizationId: 'o-abcdefghij' });
    assert.equal(second.status, 201);
    assert.notEqual((second.body as Added).RevisionId, (added.body as Added).RevisionId);
    const got = await request(gw.app).get(POLICY);
    assert.equal(got.status, 200);
    const policy = got.body as Policy;
    assert.equal(policy.RevisionId, (second.body as Added).RevisionId);
    const document = JSON.parse(policy.Policy) as PolicyDocument;
    assert.deepEqual(
      [document.Version, document.Id, document.Statement.length],
      ['2012-10-17', 'default', 2],
    );
    assert.deepEqual(document.Statement[1]?.Principal, { AWS: 'arn:aws:iam::222222222222:root' });
    assert.deepEqual(document.Statement[1]?.Condition, {
      StringEquals: { 'aws:PrincipalOrgID': 'o-abcdefghij' },
    });
    assert.equal((await request(gw.app).delete(`${POLICY}/s1`)).status, 204);
    assert.equal((await request(gw.app).delete(`${POLICY}/s2`)).status, 204);
    const gone = await request(gw.app).get(POLICY);
    assert.equal(gone.status, 404);
    assert.equal(errorOf(gone).Message, 'No policy is associated with the given resource.');
  });

  it('answers each fault as AWS does', async () => {
    const gw = await withLayer();
    await request(gw.app).post(POLICY).send(grant('s1'));
    const duplicate = await request(gw.app).post(POLICY).send(grant('s1'));
    assert.equal(duplicate.status, 409);
    assert.equal(
      errorOf(duplicate).message,
      'The statement id (s1) provided already exists. Please provide a new statement id, or remove the existing statement.',
    );
    const action = await request(gw.app)
      .post(POLICY)
      .send({ ...grant('s3'), Action: '*' });
    assert.equal(action.status, 400);
    assert.equal(
      errorOf(action).message,
      "1 validation error detected: Value '*' at 'action' failed to satisfy constraint: Member must satisfy regular expression pattern: lambda:GetLayerVersion",
    );
    const revision = await request(gw.app)
      .post(POLICY)
      .query({ RevisionId: 'not-the-revision' })
      .send(grant('s4'));
    assert.equal(revision.status, 412);
    const removeRevision = await request(gw.app)
      .delete(`${POLICY}/s1`)
      .query({ RevisionId: 'not-the-revision' });
    assert.equal(removeRevision.status, 412);
    assert.equal(
      errorOf(removeRevision).message,
      'The Revision Id provided does not match the latest Revision Id. Call the GetLayerPolicy API to retrieve the latest Revision Id',
    );
    const noStatement = await request(gw.app).delete(`${POLICY}/doesnotexist`);
    assert.equal(noStatement.status, 404);
    assert.equal(
      errorOf(noStatement).Message,
      'Statement doesnotexist is not found in resource policy.',
    );
    for (const [path, arn] of [
      [`${BASE}/deps/versions/2/policy`, `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:deps:2`],
      [`${BASE}/nothing/versions/1/policy`, `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:nothing:1`],
    ] as const) {
      for (const res of [
        await request(gw.app).post(path).send(grant('s9')),
        await request(gw.app).get(path),
        await request(gw.app).delete(`${path}/s1`),
      ]) {
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, {
          Type: 'User',
          Message: `Layer version ${arn} does not exist.`,
        });
      }
    }
  });

  it("deletes a version's policy with the version", async () => {
    const gw = await withLayer();
    await request(gw.app).post(POLICY).send(grant('s1'));
    await request(gw.app).delete(`${BASE}/deps/versions/1`);
    assert.equal(gw.layers.policies.size, 0);
  });
});
