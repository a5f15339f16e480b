import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  activeRecord,
  arn,
  createTestGateway,
  publishWithAlias,
  seed,
  type TestGateway,
} from './helpers/test-app.js';

const POLICY = '/2015-03-31/functions/demo/policy';
const S3 = {
  StatementId: 's3',
  Action: 'lambda:InvokeFunction',
  Principal: 's3.amazonaws.com',
  SourceArn: 'arn:aws:s3:::uploads',
  SourceAccount: '111111111111',
};

/** `demo` with version 1 and alias `live` on it. */
async function gateway(): Promise<TestGateway> {
  let n = 0;
  const gw = createTestGateway({}, { newId: () => `rev-${++n}` });
  await seed(gw, activeRecord('demo'));
  await publishWithAlias(gw, 'demo');
  return gw;
}

const policyOf = (res: { body: unknown }) => {
  const { Policy, RevisionId } = res.body as { Policy: string; RevisionId: string };
  return { document: JSON.parse(Policy) as { Statement: unknown[] }, RevisionId };
};

describe('AddPermission, GetPolicy, RemovePermission', () => {
  it('adds statements in AWS’s form, lists them in the policy and removes them', async () => {
    const gw = await gateway();
    const added = await request(gw.app).post(POLICY).send(S3).expect(201);
    const s3Statement = {
      Sid: 's3',
      Effect: 'Allow',
      Principal: { Service: 's3.amazonaws.com' },
      Action: 'lambda:InvokeFunction',
      Resource: arn('demo'),
      Condition: {
        StringEquals: { 'AWS:SourceAccount': '111111111111' },
        ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' },
      },
    };
    assert.deepEqual(JSON.parse((added.body as { Statement: string }).Statement), s3Statement);
    const first = policyOf(await request(gw.app).get(POLICY).expect(200)).RevisionId;
    await request(gw.app)
      .post(POLICY)
      .send({ StatementId: 'acct', Action: 'lambda:*', Principal: '222222222222' })
      .expect(201);
    const got = await request(gw.app).get(POLICY).expect(200);
    const { document, RevisionId } = policyOf(got);
    assert.deepEqual(document, {
      Version: '2012-10-17',
      Id: 'default',
      Statement: [
        s3Statement,
        {
          Sid: 'acct',
          Effect: 'Allow',
          Principal: { AWS: 'arn:aws:iam::222222222222:root' },
          Action: 'lambda:*',
          Resource: arn('demo'),
        },
      ],
    });
    // Every change of the policy gives it a new RevisionId.
    assert.match(RevisionId, /^rev-\d+$/);
    assert.notEqual(RevisionId, first);

    await request(gw.app).delete(`${POLICY}/s3`).expect(204);
    assert.deepEqual(policyOf(await request(gw.app).get(POLICY)).document.Statement, [
      {
        Sid: 'acct',
        Effect: 'Allow',
        Principal: { AWS: 'arn:aws:iam::222222222222:root' },
        Action: 'lambda:*',
        Resource: arn('demo'),
      },
    ]);
    await request(gw.app).delete(`${POLICY}/acct`).expect(204);
    const gone = await request(gw.app).get(POLICY);
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, {
      Type: 'User',
      Message: 'The resource you requested does not exist.',
    });
  });

  it('keeps a policy per version and alias, which their deletion and the function’s take along', async () => {
    const gw = await gateway();
    const live = await request(gw.app).post(`${POLICY}?Qualifier=live`).send(S3).expect(201);
    assert.equal(
      (JSON.parse((live.body as { Statement: string }).Statement) as { Resource: string }).Resource,
      arn('demo', 'live'),
    );
    await request(gw.app).post(`${POLICY}?Qualifier=1`).send(S3).expect(201);
    await request(gw.app).get(POLICY).expect(404);
    await request(gw.app).get(`${POLICY}?Qualifier=live`).expect(200);
    await request(gw.app).delete('/2015-03-31/functions/demo/aliases/live').expect(204);
    assert.equal(await gw.policies.get('demo', 'live'), undefined);
    await request(gw.app).delete('/2015-03-31/functions/demo?Qualifier=1').expect(204);
    assert.equal(await gw.policies.get('demo', '1'), undefined);
    await request(gw.app).post(POLICY).send(S3).expect(201);
    // $LATEST names the function itself when reading.
    await request(gw.app).get(`${POLICY}?Qualifier=%24LATEST`).expect(200);
    await request(gw.app).delete('/2015-03-31/functions/demo').expect(204);
    assert.equal(gw.policies.policies.size, 0);
  });

  it('answers AWS’s refusals for AddPermission', async () => {
    const gw = await gateway();
    await request(gw.app).post(POLICY).send(S3).expect(201);
    const cases: Array<[string, Record<string, unknown>, number, string, Record<string, string>]> =
      [
        [
          POLICY,
          S3,
          409,
          'ResourceConflictException',
          {
            Type: 'User',
            message:
              'The statement id (s3) provided already exists. Please provide a new statement id, or remove the existing statement.',
          },
        ],
        [
          `${POLICY}?Qualifier=%24LATEST`,
          S3,
          400,
          'InvalidParameterValueException',
          { Type: 'User', message: 'We currently do not support adding policies for $LATEST.' },
        ],
        [
          POLICY,
          { ...S3, StatementId: 'example.com' },
          400,
          'ValidationException',
          {
            message:
              "1 validation error detected: Value 'example.com' at 'statementId' failed to satisfy constraint: Member must satisfy regular expression pattern: ([a-zA-Z0-9-_]+)",
          },
        ],
        [
          POLICY,
          { ...S3, StatementId: 'p', Principal: 'invalid principal!' },
          400,
          'ValidationException',
          {
            message:
              "1 validation error detected: Value 'invalid principal!' at 'principal' failed to satisfy constraint: Member must satisfy regular expression pattern: [^\\s]+",
          },
        ],
        [
          POLICY,
          { StatementId: 'p' },
          400,
          'ValidationException',
          {
            message:
              "2 validation errors detected: Value null at 'action' failed to satisfy constraint: Member must not be null; Value null at 'principal' failed to satisfy constraint: Member must not be null",
          },
        ],
        [
          POLICY,
          { ...S3, StatementId: 'p', Principal: 'nobody' },
          400,
          'InvalidParameterValueException',
          {
            Type: 'User',
            message:
              'The provided principal was invalid. Please check the principal and try again.',
          },
        ],
        [
          '/2015-03-31/functions/doesnotexist/policy',
          S3,
          404,
          'ResourceNotFoundException',
          { Type: 'User', Message: `Function not found: ${arn('doesnotexist')}` },
        ],
        [
          `${POLICY}?Qualifier=42`,
          S3,
          404,
          'ResourceNotFoundException',
          { Type: 'User', Message: `Function not found: ${arn('demo', '42')}` },
        ],
        [
          `${POLICY}?Qualifier=alias-doesnotexist`,
          S3,
          404,
          'ResourceNotFoundException',
          { Type: 'User', Message: `Cannot find alias arn: ${arn('demo', 'alias-doesnotexist')}` },
        ],
        [
          `${POLICY}?Qualifier=valid-with-%24-but-doesnotexist`,
          S3,
          404,
          'ResourceNotFoundException',
          {
            Type: 'User',
            Message: `Function not found: ${arn('demo', 'valid-with-$-but-doesnotexist')}`,
          },
        ],
        [
          POLICY,
          { ...S3, StatementId: 'other', RevisionId: 'wrong' },
          412,
          'PreconditionFailedException',
          {
            Type: 'User',
            message:
              'The Revision Id provided does not match the latest Revision Id. Call the GetPolicy API to retrieve the latest Revision Id',
          },
        ],
        [
          `${POLICY}?Qualifier=live`,
          { ...S3, RevisionId: 'wrong' },
          412,
          'PreconditionFailedException',
          {
            Type: 'User',
            message:
              'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
          },
        ],
      ];
    for (const [path, body, status, type, expected] of cases) {
      const res = await request(gw.app).post(path).send(body);
      assert.equal(res.status, status, `${path} ${JSON.stringify(body)}`);
      assert.equal(res.headers['x-amzn-errortype'], type, path);
      assert.deepEqual(res.body, expected, path);
    }
    assert.equal(policyOf(await request(gw.app).get(POLICY)).document.Statement.length, 1);
    // The right RevisionIds are taken: the policy's, and the alias's while it has none.
    const { RevisionId } = policyOf(await request(gw.app).get(POLICY));
    await request(gw.app)
      .post(POLICY)
      .send({ ...S3, StatementId: 'next', RevisionId })
      .expect(201);
    await request(gw.app)
      .post(`${POLICY}?Qualifier=live`)
      .send({ ...S3, RevisionId: 'a-rev' })
      .expect(201);
  });

  it('answers AWS’s refusals for GetPolicy and RemovePermission', async () => {
    const gw = await gateway();
    const notFound = { Type: 'User', Message: 'The resource you requested does not exist.' };
    for (const path of [
      POLICY,
      '/2015-03-31/functions/doesnotexist/policy',
      `${POLICY}?Qualifier=42`,
    ]) {
      const res = await request(gw.app).get(path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.body, notFound, path);
    }
    const removals: Array<[string, Record<string, string>]> = [
      [
        '/2015-03-31/functions/doesnotexist/policy/s3',
        { Type: 'User', Message: `No policy found for: ${arn('doesnotexist')}` },
      ],
      [
        `${POLICY}/s3?Qualifier=alias-doesnotexist`,
        { Type: 'User', Message: `Cannot find alias arn: ${arn('demo', 'alias-doesnotexist')}` },
      ],
      [
        `${POLICY}/s3`,
        { Type: 'User', Message: 'No policy is associated with the given resource.' },
      ],
    ];
    for (const [path, body] of removals) {
      const res = await request(gw.app).delete(path);
      assert.equal(res.status, 404, path);
      assert.deepEqual(res.body, body, path);
    }
    await request(gw.app).post(POLICY).send(S3).expect(201);
    const missing = await request(gw.app).delete(`${POLICY}/non-existent`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      Type: 'User',
      Message: 'Statement non-existent is not found in resource policy.',
    });
    const stale = await request(gw.app).delete(`${POLICY}/s3?RevisionId=wrong`);
    assert.equal(stale.status, 412);
    assert.equal(
      (stale.body as { message: string }).message,
      'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id',
    );
    await request(gw.app).get(POLICY).expect(200);
  });
});
