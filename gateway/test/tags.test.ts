import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ACCOUNT, REGION, activeRecord, arn, createTestGateway, seed } from './helpers/test-app.js';

const tagsPath = (resource: string): string => `/2017-03-31/tags/${encodeURIComponent(resource)}`;
const RESOURCE_PATTERN = String.raw`arn:(aws[a-zA-Z-]*):lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:(function:[a-zA-Z0-9-_]+(:(\$LATEST|[a-zA-Z0-9-_]+))?|layer:([a-zA-Z0-9-_]+)|code-signing-config:csc-[a-z0-9]{17}|event-source-mapping:[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}|capacity-provider:[a-zA-Z0-9-_]+)`;

async function gateway() {
  const gw = createTestGateway();
  await seed(gw, activeRecord('demo', { tags: { team: 'a' } }));
  return gw;
}

describe('tags', () => {
  it('lists, merges and removes a function’s tags, leaving its RevisionId alone', async () => {
    const gw = await gateway();
    const before = (await gw.registry.get('demo'))!;
    const listed = await request(gw.app)
      .get(tagsPath(arn('demo')))
      .expect(200);
    assert.deepEqual(listed.body, { Tags: { team: 'a' } });

    await request(gw.app)
      .post(tagsPath(arn('demo')))
      .send({ Tags: { team: 'b', stage: 'prod' } })
      .expect(204);
    const merged = await request(gw.app)
      .get(tagsPath(arn('demo')))
      .expect(200);
    assert.deepEqual(merged.body, { Tags: { team: 'b', stage: 'prod' } });
    const got = await request(gw.app).get('/2015-03-31/functions/demo').expect(200);
    assert.deepEqual((got.body as { Tags: unknown }).Tags, { team: 'b', stage: 'prod' });

    await request(gw.app)
      .delete(`${tagsPath(arn('demo'))}?tagKeys=team&tagKeys=absent`)
      .expect(204);
    const left = await request(gw.app)
      .get(tagsPath(arn('demo')))
      .expect(200);
    assert.deepEqual(left.body, { Tags: { stage: 'prod' } });
    await request(gw.app)
      .delete(`${tagsPath(arn('demo'))}?tagKeys=stage`)
      .expect(204);
    assert.deepEqual((await request(gw.app).get(tagsPath(arn('demo')))).body, { Tags: {} });

    const after = (await gw.registry.get('demo'))!;
    assert.equal(after.revisionId, before.revisionId);
  });

  it('refuses more than 50 tags in all, and an empty set', async () => {
    const gw = await gateway();
    const many = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`k${i}`, 'v']));
    const over = await request(gw.app)
      .post(tagsPath(arn('demo')))
      .send({ Tags: many });
    assert.equal(over.status, 400);
    assert.equal(over.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.deepEqual(over.body, {
      Type: 'User',
      message: 'Number of tags exceeds resource tag limit.',
    });
    assert.deepEqual((await gw.registry.get('demo'))!.tags, { team: 'a' });
    const empty = await request(gw.app)
      .post(tagsPath(arn('demo')))
      .send({ Tags: {} });
    assert.equal(empty.status, 400);
    assert.deepEqual(empty.body, {
      Type: 'User',
      message: 'An error occurred and the request cannot be processed.',
    });
    const missing = await request(gw.app).delete(tagsPath(arn('demo')));
    assert.equal(missing.status, 400);
    assert.equal(missing.headers['x-amzn-errortype'], 'ValidationException');
    assert.deepEqual(missing.body, {
      message:
        "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null",
    });
  });

  it('answers AWS’s errors for bad ARNs, versions and aliases, and missing resources', async () => {
    const gw = await gateway();
    const prefix = `arn:aws:lambda:${REGION}:${ACCOUNT}`;
    const cases: Array<[string, string, number, string, Record<string, string>]> = [
      [
        'get',
        'arn:aws:something',
        400,
        'ValidationException',
        {
          message: `1 validation error detected: Value 'arn:aws:something' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: ${RESOURCE_PATTERN}`,
        },
      ],
      [
        'post',
        `${prefix}:foobar:x`,
        400,
        'ValidationException',
        {
          message: `1 validation error detected: Value '${prefix}:foobar:x' at 'resource' failed to satisfy constraint: Member must satisfy regular expression pattern: ${RESOURCE_PATTERN}`,
        },
      ],
      ...(['get', 'post'] as const).flatMap((method) =>
        [arn('demo', 'live'), arn('demo', '1'), arn('demo', '$LATEST')].map(
          (resource): [string, string, number, string, Record<string, string>] => [
            method,
            resource,
            400,
            'InvalidParameterValueException',
            {
              Type: 'User',
              message:
                'Tags on function aliases and versions are not supported. Please specify a function ARN.',
            },
          ],
        ),
      ),
      ...(['get', 'post', 'delete'] as const).map(
        (method): [string, string, number, string, Record<string, string>] => [
          method,
          arn('doesnotexist'),
          404,
          'ResourceNotFoundException',
          { Type: 'User', Message: `Function not found: ${arn('doesnotexist')}` },
        ],
      ),
      [
        'get',
        `${prefix}:event-source-mapping:0a1b2c3d-0000-4000-8000-00000000abcd`,
        404,
        'ResourceNotFoundException',
        {
          Type: 'User',
          Message: `Event source mapping not found: ${prefix}:event-source-mapping:0a1b2c3d-0000-4000-8000-00000000abcd`,
        },
      ],
      [
        'post',
        `${prefix}:capacity-provider:cp1`,
        404,
        'ResourceNotFoundException',
        {
          Type: 'User',
          Message: `Capacity provider not found: ${prefix}:capacity-provider:cp1`,
        },
      ],
    ];
    for (const [method, resource, status, type, body] of cases) {
      const res = await request(gw.app)
        [method as 'get'](`${tagsPath(resource)}?tagKeys=k`)
        .send({ Tags: { k: 'v' } });
      assert.equal(res.status, status, `${method} ${resource}`);
      assert.equal(res.headers['x-amzn-errortype'], type, `${method} ${resource}`);
      assert.deepEqual(res.body, body, `${method} ${resource}`);
    }
    assert.deepEqual((await gw.registry.get('demo'))!.tags, { team: 'a' });
  });
});
