import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import type { GetFunctionResponse } from '../src/functions/render-function.js';
import type { ListFunctionsResponse } from '../src/functions/list-functions.js';
import { ACCOUNT, activeRecord, arn, cfg, createTestGateway, seed } from './helpers/test-app.js';
import { HANDLER_ZIP } from './helpers/zip.js';

const BASE = '/2015-03-31/functions';
const got = (res: { body: unknown }): GetFunctionResponse => res.body as GetFunctionResponse;
const listed = (res: { body: unknown }): ListFunctionsResponse => res.body as ListFunctionsResponse;
const location = (res: { body: unknown }): string => {
  const code = got(res).Code;
  return code.RepositoryType === 'S3' ? code.Location : '';
};

describe('GetFunction and GetFunctionConfiguration', () => {
  it('returns Configuration and an S3-style Code location for a zip function', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app).get(`${BASE}/demo`).expect(200);
    assert.deepEqual(Object.keys(got(res)).sort(), ['Code', 'Configuration']);
    assert.equal(got(res).Code.RepositoryType, 'S3');
    assert.match(
      location(res),
      /^http:\/\/127\.0\.0\.1:\d+\/2015-03-31\/functions\/demo\/code\?CodeSha256=/,
    );
    assert.equal(got(res).Configuration.State, 'Active');
    assert.equal(got(res).Configuration.LastUpdateStatus, 'Successful');
    assert.equal(got(res).Configuration.FunctionArn, arn('demo'));
  });

  it('serves the zip at the Code location', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const get = await request(gw.app).get(`${BASE}/demo`).expect(200);
    const url = new URL(location(get));
    const res = await request(gw.app)
      .get(url.pathname + url.search)
      .buffer(true)
      .parse((r, cb) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => cb(null, Buffer.concat(chunks)));
      });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.deepEqual(res.body, HANDLER_ZIP);
  });

  it('adds Tags and Concurrency only when the function has them', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo', { tags: { key_a: 'value_a' } }));
    await gw.registry.putReservedConcurrency('demo', 3);
    const res = await request(gw.app).get(`${BASE}/demo`).expect(200);
    assert.deepEqual(got(res).Tags, { key_a: 'value_a' });
    assert.deepEqual(got(res).Concurrency, { ReservedConcurrentExecutions: 3 });
  });

  it('describes an image function with ECR code and a digest-pinned ResolvedImageUri', async () => {
    const gw = createTestGateway();
    const digest = 'cd'.repeat(32);
    await seed(
      gw,
      activeRecord('img', {
        packageType: 'Image',
        imageUri: 'repo/img:latest',
        codeSha256: digest,
        runtime: undefined,
        handler: undefined,
      }),
    );
    const res = await request(gw.app).get(`${BASE}/img`).expect(200);
    assert.deepEqual(got(res).Code, {
      RepositoryType: 'ECR',
      ImageUri: 'repo/img:latest',
      ResolvedImageUri: `repo/img@sha256:${digest}`,
    });
  });

  it('qualifies the ARN when asked for $LATEST', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app)
      .get(`${BASE}/demo/configuration?Qualifier=%24LATEST`)
      .expect(200);
    assert.equal(cfg(res).FunctionArn, arn('demo', '$LATEST'));
  });

  it('accepts a percent-encoded full ARN', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app)
      .get(`${BASE}/${encodeURIComponent(arn('demo'))}/configuration`)
      .expect(200);
    assert.equal(cfg(res).FunctionName, 'demo');
  });

  const notFound: Array<[string, string, string]> = [
    ['an unknown function', `${BASE}/missing`, `Function not found: ${arn('missing')}`],
    [
      'an unknown version',
      `${BASE}/demo?Qualifier=1221`,
      `Function not found: ${arn('demo', '1221')}`,
    ],
    [
      'an unknown alias in the ARN',
      `${BASE}/${encodeURIComponent(arn('demo', 'live'))}`,
      `Function not found: ${arn('demo', 'live')}`,
    ],
    [
      'another region',
      `${BASE}/${encodeURIComponent(`arn:aws:lambda:eu-west-1:${ACCOUNT}:function:demo`)}`,
      "Functions from 'eu-west-1' are not reachable in this region ('us-east-1')",
    ],
  ];
  for (const [label, path, message] of notFound) {
    it(`answers 404 for ${label}`, async () => {
      const gw = createTestGateway();
      await seed(gw, activeRecord('demo'));
      const res = await request(gw.app).get(path);
      assert.equal(res.status, 404);
      assert.equal(res.headers['x-amzn-errortype'], 'ResourceNotFoundException');
      assert.deepEqual(res.body, { Type: 'User', Message: message });
    });
  }

  it('looks up names with dots (allowed by the look-up pattern) and reports them missing', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app).get(`${BASE}/my.fn`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { Type: 'User', Message: `Function not found: ${arn('my.fn')}` });
  });

  it('refuses a name qualifier that disagrees with Qualifier', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app).get(
      `${BASE}/${encodeURIComponent(arn('demo', '1'))}?Qualifier=%24LATEST`,
    );
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      Type: 'User',
      message:
        'The derived qualifier from the function name does not match the specified qualifier.',
    });
  });
});

describe('ListFunctions', () => {
  async function gatewayWith(count: number) {
    const gw = createTestGateway();
    for (let i = 0; i < count; i++)
      await seed(gw, activeRecord(`fn-${String(i).padStart(3, '0')}`));
    return gw;
  }

  it('answers on both /functions and /functions/ (the CLI adds the slash)', async () => {
    const gw = await gatewayWith(2);
    for (const path of [BASE, `${BASE}/`]) {
      const res = await request(gw.app).get(path).expect(200);
      assert.equal(listed(res).Functions.length, 2);
      assert.equal(listed(res).NextMarker, undefined);
    }
  });

  it('lists items without state keys, RuntimeVersionConfig or a qualified ARN', async () => {
    const gw = await gatewayWith(1);
    const [item] = listed(await request(gw.app).get(BASE).expect(200))
      .Functions as unknown as Array<Record<string, unknown>>;
    assert.ok(item);
    for (const key of ['State', 'LastUpdateStatus', 'RuntimeVersionConfig', 'StateReason'])
      assert.equal(item[key], undefined);
    assert.equal(item.FunctionArn, arn('fn-000'));
  });

  it('pages with MaxItems and NextMarker until every function was listed once', async () => {
    const gw = await gatewayWith(7);
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const query =
        marker === undefined ? '?MaxItems=3' : `?MaxItems=3&Marker=${encodeURIComponent(marker)}`;
      const res = await request(gw.app)
        .get(BASE + query)
        .expect(200);
      seen.push(...listed(res).Functions.map((f) => f.FunctionName));
      marker = listed(res).NextMarker;
    } while (marker !== undefined);
    assert.deepEqual(
      seen,
      Array.from({ length: 7 }, (_, i) => `fn-00${i}`),
    );
  });

  it('never returns more than 50 per page', async () => {
    const gw = await gatewayWith(55);
    const res = await request(gw.app).get(`${BASE}?MaxItems=500`).expect(200);
    assert.equal(listed(res).Functions.length, 50);
    assert.equal(listed(res).NextMarker, 'fn-049');
  });

  it('qualifies ARNs with $LATEST for FunctionVersion=ALL', async () => {
    const gw = await gatewayWith(1);
    const res = await request(gw.app).get(`${BASE}?FunctionVersion=ALL`).expect(200);
    assert.equal(listed(res).Functions[0]?.FunctionArn, arn('fn-000', '$LATEST'));
  });

  it('refuses an unknown FunctionVersion like AWS', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app).get(`${BASE}?FunctionVersion=invalid`);
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'ValidationException');
    assert.deepEqual(res.body, {
      message:
        "1 validation error detected: Value 'invalid' at 'functionVersion' failed to satisfy constraint: Member must satisfy enum value set: [ALL]",
    });
  });

  it('refuses MaxItems under 1', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app).get(`${BASE}?MaxItems=0`);
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      message:
        "1 validation error detected: Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });
});

describe('DeleteFunction', () => {
  it('answers 204 and removes the function, its reservation and its logs', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    await gw.registry.putReservedConcurrency('demo', 2);
    const res = await request(gw.app).delete(`${BASE}/demo`);
    assert.equal(res.status, 204);
    assert.equal(res.text, '');
    assert.equal(await gw.registry.get('demo'), undefined);
    assert.equal(await gw.registry.getReservedConcurrency('demo'), undefined);
    assert.deepEqual(gw.logs.deleted, ['demo']);
  });

  it('answers 404 with the unqualified ARN when the function does not exist', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app).delete(`${BASE}/missing`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { Type: 'User', Message: `Function not found: ${arn('missing')}` });
  });

  const refusals: Array<[string, string, string]> = [
    [
      '$LATEST alone',
      `${BASE}/demo?Qualifier=%24LATEST`,
      '$LATEST version cannot be deleted without deleting the function.',
    ],
    ['an alias', `${BASE}/demo?Qualifier=live`, 'Deletion of aliases is not currently supported.'],
  ];
  for (const [label, path, message] of refusals) {
    it(`refuses to delete ${label}`, async () => {
      const gw = createTestGateway();
      await seed(gw, activeRecord('demo'));
      const res = await request(gw.app).delete(path);
      assert.equal(res.status, 400);
      assert.deepEqual(res.body, { Type: 'User', message });
      assert.ok(await gw.registry.get('demo'));
    });
  }

  it('deletes a version that does not exist silently, keeping the function', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    await request(gw.app).delete(`${BASE}/demo?Qualifier=7`).expect(204);
    assert.ok(await gw.registry.get('demo'));
  });
});
