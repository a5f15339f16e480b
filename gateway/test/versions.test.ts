import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { formatLastModified, runtimeVersionArn } from '@lambdock/core';
import {
  REGION,
  ROLE,
  arn,
  cfg,
  createRequestBody,
  createTestGateway,
} from './helpers/test-app.js';
import {
  BASE,
  NOW,
  changeEnvironment,
  publish,
  versionGateway,
} from './helpers/version-gateway.js';
import { HANDLER_ZIP, buildZip } from './helpers/zip.js';

const LATEST_REVISION = '11111111-1111-4111-8111-111111111111';
const PRECONDITION =
  'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';
describe('PublishVersion', () => {
  it('answers 201 with the snapshot: Version 1, qualified ARN, its own RevisionId', async () => {
    const gw = await versionGateway();
    const res = await publish(gw, { Description: 'first' });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, {
      FunctionName: 'demo',
      FunctionArn: arn('demo', '1'),
      Runtime: 'python3.11',
      Role: ROLE,
      Handler: 'handler.handler',
      CodeSize: HANDLER_ZIP.length,
      Description: 'first',
      Timeout: 3,
      MemorySize: 128,
      LastModified: formatLastModified(NOW),
      CodeSha256: 'A'.repeat(43) + '=',
      Version: '1',
      TracingConfig: { Mode: 'PassThrough' },
      // id-1 is the request id: every id comes from the same source.
      RevisionId: 'id-2',
      State: 'Active',
      LastUpdateStatus: 'Successful',
      PackageType: 'Zip',
      Architectures: ['x86_64'],
      EphemeralStorage: { Size: 512 },
      SnapStart: { ApplyOn: 'None', OptimizationStatus: 'Off' },
      RuntimeVersionConfig: { RuntimeVersionArn: runtimeVersionArn(REGION, 'python3.11') },
      LoggingConfig: { LogFormat: 'Text', LogGroup: '/aws/lambda/demo' },
    });
    assert.equal((await gw.registry.get('demo'))?.revisionId, 'id-3');
  });

  it("takes $LATEST's description when none is given", async () => {
    const gw = await versionGateway();
    const res = await publish(gw).expect(201);
    assert.equal(cfg(res).Description, 'latest description');
  });

  it('returns the newest version again when nothing changed, leaving $LATEST alone', async () => {
    const gw = await versionGateway();
    const first = cfg(await publish(gw).expect(201));
    const latestRevision = (await gw.registry.get('demo'))?.revisionId;
    const again = await publish(gw, { Description: 'other' });
    assert.equal(again.status, 201);
    assert.deepEqual(again.body, first);
    assert.equal((await gw.registry.get('demo'))?.revisionId, latestRevision);
  });

  it('publishes the next number after a change; the old version keeps what it had', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    await changeEnvironment(gw, 'two');
    const second = cfg(await publish(gw).expect(201));
    assert.equal(second.Version, '2');
    assert.deepEqual(second.Environment, { Variables: { LABEL: 'two' } });
    const one = await request(gw.app).get(`${BASE}/demo/configuration?Qualifier=1`).expect(200);
    assert.equal(cfg(one).Environment, undefined);
  });

  const refusals: Array<[string, Record<string, unknown>, number, string, Record<string, string>]> =
    [
      [
        'a CodeSha256 that is not $LATEST’s',
        { CodeSha256: 'somenonexistentsha256' },
        400,
        'InvalidParameterValueException',
        {
          Type: 'User',
          message: `CodeSHA256 (somenonexistentsha256) is different from current CodeSHA256 in $LATEST (${'A'.repeat(43)}=). Please try again with the CodeSHA256 in $LATEST.`,
        },
      ],
      [
        'a stale RevisionId',
        { RevisionId: 'wrong' },
        412,
        'PreconditionFailedException',
        { Type: 'User', message: PRECONDITION },
      ],
    ];
  for (const [label, body, status, type, error] of refusals) {
    it(`refuses ${label}`, async () => {
      const gw = await versionGateway();
      const res = await publish(gw, body);
      assert.equal(res.status, status);
      assert.equal(res.headers['x-amzn-errortype'], type);
      assert.deepEqual(res.body, error);
      assert.deepEqual(await gw.versions.listVersions('demo'), []);
    });
  }

  it('accepts the current RevisionId and CodeSha256', async () => {
    const gw = await versionGateway();
    const res = await publish(gw, {
      RevisionId: LATEST_REVISION,
      CodeSha256: 'A'.repeat(43) + '=',
    });
    assert.equal(res.status, 201);
  });

  it('refuses while an update is in progress (409)', async () => {
    const gw = await versionGateway();
    await request(gw.app).put(`${BASE}/demo/configuration`).send({ Timeout: 9 }).expect(200);
    const res = await publish(gw);
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, {
      Type: 'User',
      message: `The operation cannot be performed at this time. An update is in progress for resource: ${arn('demo')}`,
    });
  });

  it('answers 404 for a function that does not exist', async () => {
    const gw = await versionGateway();
    const res = await request(gw.app).post(`${BASE}/missing/versions`).send({});
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { Type: 'User', Message: `Function not found: ${arn('missing')}` });
  });
});

describe('ListVersionsByFunction', () => {
  it('lists $LATEST first (ARN :$LATEST) then versions in order, without State keys', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    await changeEnvironment(gw, 'two');
    await publish(gw).expect(201);
    const res = await request(gw.app).get(`${BASE}/demo/versions`).expect(200);
    const versions = (res.body as { Versions: Array<Record<string, unknown>> }).Versions;
    assert.deepEqual(
      versions.map((v) => [v.Version, v.FunctionArn]),
      [
        ['$LATEST', arn('demo', '$LATEST')],
        ['1', arn('demo', '1')],
        ['2', arn('demo', '2')],
      ],
    );
    for (const v of versions) {
      assert.equal(v.State, undefined);
      assert.equal(v.LastUpdateStatus, undefined);
      assert.equal(v.RuntimeVersionConfig, undefined);
    }
    assert.deepEqual(Object.keys(res.body as object), ['Versions']);
  });

  it('pages with MaxItems and Marker', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    const first = await request(gw.app).get(`${BASE}/demo/versions?MaxItems=1`).expect(200);
    const page = first.body as { Versions: Array<{ Version: string }>; NextMarker?: string };
    assert.deepEqual(
      [page.Versions.map((v) => v.Version), page.NextMarker],
      [['$LATEST'], '$LATEST'],
    );
    const next = await request(gw.app)
      .get(`${BASE}/demo/versions?MaxItems=1&Marker=%24LATEST`)
      .expect(200);
    const rest = next.body as { Versions: Array<{ Version: string }>; NextMarker?: string };
    assert.deepEqual([rest.Versions.map((v) => v.Version), rest.NextMarker], [['1'], undefined]);
  });

  it('answers 404 for a function that does not exist', async () => {
    const gw = await versionGateway();
    const res = await request(gw.app).get(`${BASE}/missing/versions`);
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { Type: 'User', Message: `Function not found: ${arn('missing')}` });
  });
});

describe('ListFunctions with FunctionVersion=ALL', () => {
  it('lists $LATEST (ARN :$LATEST) and then every published version', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    await changeEnvironment(gw, 'two');
    await publish(gw).expect(201);
    const all = await request(gw.app).get(`${BASE}?FunctionVersion=ALL`).expect(200);
    const functions = (all.body as { Functions: Array<Record<string, unknown>> }).Functions;
    assert.deepEqual(
      functions.map((f) => [f.Version, f.FunctionArn, f.State]),
      [
        ['$LATEST', arn('demo', '$LATEST'), undefined],
        ['1', arn('demo', '1'), undefined],
        ['2', arn('demo', '2'), undefined],
      ],
    );
    const plain = await request(gw.app).get(BASE).expect(200);
    assert.deepEqual(
      (plain.body as { Functions: Array<Record<string, unknown>> }).Functions.map((f) => [
        f.Version,
        f.FunctionArn,
      ]),
      [['$LATEST', arn('demo')]],
    );
  });
});

describe('GetFunction with a qualifier', () => {
  it('shows a version under its ARN and an alias as its version under the alias ARN', async () => {
    const gw = await versionGateway();
    const v1 = cfg(await publish(gw).expect(201));
    await request(gw.app)
      .post(`${BASE}/demo/aliases`)
      .send({ Name: 'live', FunctionVersion: '1' })
      .expect(201);
    const byVersion = await request(gw.app).get(`${BASE}/demo?Qualifier=1`).expect(200);
    const version = (byVersion.body as { Configuration: Record<string, unknown> }).Configuration;
    assert.deepEqual([version.FunctionArn, version.Version], [arn('demo', '1'), '1']);
    const byAlias = await request(gw.app)
      .get(`${BASE}/${encodeURIComponent(arn('demo', 'live'))}`)
      .expect(200);
    const alias = (byAlias.body as { Configuration: Record<string, unknown> }).Configuration;
    assert.deepEqual(
      [alias.FunctionArn, alias.Version, alias.RevisionId],
      [arn('demo', 'live'), '1', v1.RevisionId],
    );
  });

  it("hands out a version's own code after $LATEST's code changed", async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    const zip = buildZip({ 'handler.py': 'def handler(e, c):\n    return 2\n' });
    await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: zip.toString('base64') })
      .expect(200);
    const got = await request(gw.app).get(`${BASE}/demo?Qualifier=1`).expect(200);
    const location = new URL((got.body as { Code: { Location: string } }).Code.Location);
    assert.equal(location.searchParams.get('Qualifier'), '1');
    const code = await request(gw.app)
      .get(`${location.pathname}${location.search}`)
      .buffer(true)
      .parse((res, done) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(null, Buffer.concat(chunks)));
      })
      .expect(200);
    assert.deepEqual(code.body, HANDLER_ZIP);
  });

  it('answers 404 naming the version or alias asked for', async () => {
    const gw = await versionGateway();
    for (const q of ['3', 'aliasdoesnotexist', '$latest']) {
      const res = await request(gw.app).get(
        `${BASE}/demo/configuration?Qualifier=${encodeURIComponent(q)}`,
      );
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, {
        Type: 'User',
        Message: `Function not found: ${arn('demo', q)}`,
      });
    }
  });
});

describe('Publish on CreateFunction and UpdateFunctionCode', () => {
  it('CreateFunction with Publish answers Version 1 under the unqualified ARN, Pending', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ Publish: true }))
      .expect(201);
    const body = cfg(res);
    assert.deepEqual(
      [body.Version, body.FunctionArn, body.State, body.StateReasonCode],
      ['1', arn('demo'), 'Pending', 'Creating'],
    );
    assert.equal((await gw.versions.getVersion('demo', '1'))?.version, '1');
  });

  it('UpdateFunctionCode with Publish answers the new version, Pending, without LastUpdateStatus', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    const zip = buildZip({ 'handler.py': 'def handler(e, c):\n    return 2\n' });
    const res = await request(gw.app)
      .put(`${BASE}/demo/code`)
      .send({ ZipFile: zip.toString('base64'), Publish: true })
      .expect(200);
    const body = cfg(res);
    assert.deepEqual(
      [body.Version, body.FunctionArn, body.State, body.StateReason, body.LastUpdateStatus],
      ['2', arn('demo', '2'), 'Pending', 'The function is being created.', undefined],
    );
    const latest = await request(gw.app).get(`${BASE}/demo?Qualifier=%24LATEST`).expect(200);
    const config = (latest.body as { Configuration: Record<string, unknown> }).Configuration;
    assert.deepEqual([config.LastUpdateStatus, config.CodeSha256], ['InProgress', body.CodeSha256]);
  });
});
