/**
 * The layer API on the gateway: publish, get (by name and by ARN), list (filters, paging,
 * newest first), delete, the zip's download, and AWS's answers for bad input (aws-oracle
 * 2_errors: PublishLayerVersion, GetLayerVersion, GetLayerVersionByArn, ListLayers,
 * DeleteLayerVersion).
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import request from 'supertest';
import { ACCOUNT, REGION, createTestGateway, errorOf } from './helpers/test-app.js';
import { buildZip } from './helpers/zip.js';

const BASE = '/2018-10-31/layers';

interface VersionItem {
  LayerVersionArn: string;
  Version: number;
  Description: string;
}
interface LayerView extends VersionItem {
  Content: { Location: string; CodeSha256: string; CodeSize: number };
  LayerArn: string;
}
interface VersionsPage {
  LayerVersions: VersionItem[];
  NextMarker?: string;
}
interface LayersPage {
  Layers: { LayerName: string; LayerArn: string; LatestMatchingVersion: VersionItem }[];
  NextMarker?: string;
}
/** supertest's body, as the operation's answer. */
const bodyOf = <T>(res: { body: unknown }): T => res.body as T;
const ZIP = buildZip({ 'nodejs/node_modules/greet/index.js': 'exports.hi = () => "hi";\n' });
const layerArn = (name: string): string => `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:${name}`;

function publishBody(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return { Content: { ZipFile: ZIP.toString('base64') }, ...overrides };
}

async function publish(
  gw: ReturnType<typeof createTestGateway>,
  name: string,
  overrides: Record<string, unknown> = {},
) {
  const res = await request(gw.app).post(`${BASE}/${name}/versions`).send(publishBody(overrides));
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as Record<string, unknown>;
}

describe('PublishLayerVersion', () => {
  it('stores a version under the next number and answers with its content and ARNs', async () => {
    const gw = createTestGateway();
    const first = await publish(gw, 'deps', {
      Description: 'greeting helpers',
      CompatibleRuntimes: ['nodejs20.x'],
      CompatibleArchitectures: ['x86_64'],
      LicenseInfo: 'MIT',
    });
    const content = first.Content as Record<string, unknown>;
    assert.deepEqual(Object.keys(first), [
      'Content',
      'LayerArn',
      'LayerVersionArn',
      'Description',
      'CreatedDate',
      'Version',
      'CompatibleRuntimes',
      'LicenseInfo',
      'CompatibleArchitectures',
    ]);
    assert.equal(content.CodeSha256, createHash('sha256').update(ZIP).digest('base64'));
    assert.equal(content.CodeSize, ZIP.length);
    assert.equal(first.LayerArn, layerArn('deps'));
    assert.equal(first.LayerVersionArn, `${layerArn('deps')}:1`);
    assert.equal(first.Version, 1);
    assert.match(String(first.CreatedDate), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+0000$/);
    const second = await publish(gw, layerArn('deps'));
    assert.equal(second.Version, 2);
    assert.deepEqual(Object.keys(second), [
      'Content',
      'LayerArn',
      'LayerVersionArn',
      'Description',
      'CreatedDate',
      'Version',
    ]);
    assert.equal(second.Description, '');
  });

  it('serves the zip where Content.Location points', async () => {
    const gw = createTestGateway();
    const published = await publish(gw, 'deps');
    const location = new URL(String((published.Content as { Location: string }).Location));
    const res = await request(gw.app)
      .get(location.pathname)
      .buffer(true)
      .parse((r, done) => {
        const chunks: Buffer[] = [];
        r.on('data', (c: Buffer) => chunks.push(c));
        r.on('end', () => done(null, Buffer.concat(chunks)));
      });
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.deepEqual(res.body, ZIP);
  });

  it('lists every unknown runtime and architecture in one ValidationException', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(`${BASE}/deps/versions`)
      .send(
        publishBody({
          CompatibleRuntimes: ['invalidruntime', 'invalidruntime2', 'nodejs20.x'],
          CompatibleArchitectures: ['invalidarch', 'x86_64'],
        }),
      );
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'ValidationException');
    assert.equal(
      errorOf(res).message,
      "2 validation errors detected: Value '[invalidruntime, invalidruntime2, nodejs20.x]' at 'compatibleRuntimes' failed to satisfy constraint: Member must satisfy enum value set: [nodejs20.x, python3.14, provided.al2023, python3.12, python3.13, nodejs24.x, nodejs22.x, java25, python3.10, python3.11, java21, ruby3.3, ruby3.4, ruby3.2, python3.8, python3.9, java17, nodejs16.x, dotnet10, dotnet8, java11, dotnet6, nodejs18.x, provided.al2, java8.al2]; Value '[invalidarch, x86_64]' at 'compatibleArchitectures' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [x86_64, arm64], Member must not be null]",
    );
    assert.equal(gw.layers.versions.size, 0);
  });

  it('refuses a missing Content, a bad name and a zip that is not one', async () => {
    const gw = createTestGateway();
    const noContent = await request(gw.app).post(`${BASE}/deps/versions`).send({});
    assert.equal(
      errorOf(noContent).message,
      "1 validation error detected: Value null at 'content' failed to satisfy constraint: Member must not be null",
    );
    const badName = await request(gw.app).post(`${BASE}/no%20spaces/versions`).send(publishBody());
    assert.equal(badName.headers['x-amzn-errortype'], 'ValidationException');
    assert.match(errorOf(badName).message ?? '', /at 'layerName' failed to satisfy constraint/);
    const notZip = await request(gw.app)
      .post(`${BASE}/deps/versions`)
      .send({ Content: { ZipFile: Buffer.from('not a zip').toString('base64') } });
    assert.equal(notZip.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.equal(
      errorOf(notZip).message,
      'Could not unzip uploaded file. Please check your file, then try to upload again.',
    );
    assert.equal(gw.layers.versions.size, 0);
  });
});

describe('GetLayerVersion, GetLayerVersionByArn, ListLayerVersions, ListLayers', () => {
  async function threeVersions() {
    const gw = createTestGateway();
    await publish(gw, 'deps', { CompatibleRuntimes: ['nodejs20.x'] });
    await publish(gw, 'deps', { CompatibleRuntimes: ['python3.11'], Description: 'py' });
    await publish(gw, 'deps', { CompatibleRuntimes: ['nodejs20.x'], Description: 'newest' });
    await publish(gw, 'another', { CompatibleArchitectures: ['arm64'] });
    return gw;
  }

  it('gets a version by name and by ARN, and answers 404 in AWS words for one that is not there', async () => {
    const gw = await threeVersions();
    const byName = await request(gw.app).get(`${BASE}/deps/versions/2`);
    assert.equal(byName.status, 200);
    assert.equal(bodyOf<LayerView>(byName).Description, 'py');
    const byArn = await request(gw.app)
      .get(BASE)
      .query({ find: 'LayerVersion', Arn: `${layerArn('deps')}:2` });
    assert.equal(byArn.status, 200);
    // Each supertest request has its own port: the download's origin differs, its path does not.
    const withoutOrigin = (body: LayerView) => ({
      ...body,
      Content: { ...body.Content, Location: new URL(body.Content.Location).pathname },
    });
    assert.deepEqual(
      withoutOrigin(bodyOf<LayerView>(byArn)),
      withoutOrigin(bodyOf<LayerView>(byName)),
    );
    assert.equal(
      withoutOrigin(bodyOf<LayerView>(byName)).Content.Location,
      `${BASE}/deps/versions/2/content`,
    );
    for (const path of [`${BASE}/deps/versions/9`, `${BASE}/nothing/versions/1`]) {
      const res = await request(gw.app).get(path);
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, {
        Type: 'User',
        Message: 'The resource you requested does not exist.',
      });
    }
    const missingByArn = await request(gw.app)
      .get(BASE)
      .query({ find: 'LayerVersion', Arn: `${layerArn('deps')}:9` });
    assert.equal(missingByArn.status, 404);
  });

  it('refuses version 0 and below, and an ARN without a version, in AWS words', async () => {
    const gw = await threeVersions();
    for (const version of ['0', '-1']) {
      const res = await request(gw.app).get(`${BASE}/deps/versions/${version}`);
      assert.equal(res.status, 400);
      assert.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException');
      assert.equal(errorOf(res).message, 'Layer Version Cannot be less than 1');
      const del = await request(gw.app).delete(`${BASE}/deps/versions/${version}`);
      assert.equal(errorOf(del).message, 'Layer Version Cannot be less than 1');
    }
    const res = await request(gw.app)
      .get(BASE)
      .query({ find: 'LayerVersion', Arn: layerArn('deps') });
    assert.equal(res.status, 400);
    assert.match(
      errorOf(res).message ?? '',
      /^1 validation error detected: Value 'arn:aws:lambda:us-east-1:111111111111:layer:deps' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: /,
    );
  });

  it('lists versions newest first, filtered and paged', async () => {
    const gw = await threeVersions();
    const all = await request(gw.app).get(`${BASE}/deps/versions`);
    assert.deepEqual(
      bodyOf<VersionsPage>(all).LayerVersions.map((v) => v.Version),
      [3, 2, 1],
    );
    assert.deepEqual(Object.keys(bodyOf<VersionsPage>(all).LayerVersions[0] ?? {}), [
      'LayerVersionArn',
      'Version',
      'Description',
      'CreatedDate',
      'CompatibleRuntimes',
    ]);
    const node = await request(gw.app)
      .get(`${BASE}/deps/versions`)
      .query({ CompatibleRuntime: 'nodejs20.x' });
    assert.deepEqual(
      bodyOf<VersionsPage>(node).LayerVersions.map((v) => v.Version),
      [3, 1],
    );
    const first = await request(gw.app).get(`${BASE}/deps/versions`).query({ MaxItems: 2 });
    assert.equal(bodyOf<VersionsPage>(first).LayerVersions.length, 2);
    assert.equal(bodyOf<VersionsPage>(first).NextMarker, '2');
    const rest = await request(gw.app)
      .get(`${BASE}/deps/versions`)
      .query({ MaxItems: 2, Marker: bodyOf<VersionsPage>(first).NextMarker });
    assert.deepEqual(
      bodyOf<VersionsPage>(rest).LayerVersions.map((v) => v.Version),
      [1],
    );
    assert.equal(bodyOf<VersionsPage>(rest).NextMarker, undefined);
    const none = await request(gw.app).get(`${BASE}/nothing/versions`);
    assert.deepEqual(none.body, { LayerVersions: [] });
  });

  it('lists layers with their latest matching version', async () => {
    const gw = await threeVersions();
    const all = await request(gw.app).get(BASE);
    assert.deepEqual(
      bodyOf<LayersPage>(all).Layers.map((l) => [l.LayerName, l.LatestMatchingVersion.Version]),
      [
        ['another', 1],
        ['deps', 3],
      ],
    );
    assert.equal(bodyOf<LayersPage>(all).Layers[1]?.LayerArn, layerArn('deps'));
    const python = await request(gw.app).get(BASE).query({ CompatibleRuntime: 'python3.11' });
    assert.deepEqual(
      bodyOf<LayersPage>(python).Layers.map((l) => [l.LatestMatchingVersion.Description]),
      [['py']],
    );
    const arm = await request(gw.app).get(BASE).query({ CompatibleArchitecture: 'arm64' });
    assert.deepEqual(
      bodyOf<LayersPage>(arm).Layers.map((l) => l.LayerName),
      ['another'],
    );
    const paged = await request(gw.app).get(BASE).query({ MaxItems: 1 });
    assert.equal(bodyOf<LayersPage>(paged).NextMarker, 'another');
    const next = await request(gw.app)
      .get(BASE)
      .query({ MaxItems: 1, Marker: bodyOf<LayersPage>(paged).NextMarker });
    assert.deepEqual(
      bodyOf<LayersPage>(next).Layers.map((l) => l.LayerName),
      ['deps'],
    );
    assert.equal(bodyOf<LayersPage>(next).NextMarker, undefined);
  });

  it('refuses unknown filters in AWS words', async () => {
    const gw = createTestGateway();
    const runtime = await request(gw.app)
      .get(BASE)
      .query({ CompatibleRuntime: 'runtimedoesnotexist' });
    assert.equal(runtime.status, 400);
    assert.match(
      errorOf(runtime).message ?? '',
      /^1 validation error detected: Value 'runtimedoesnotexist' at 'compatibleRuntime' failed to satisfy constraint: Member must satisfy enum value set: \[ruby3\.5, ruby2\.6, /,
    );
    const arch = await request(gw.app)
      .get(BASE)
      .query({ CompatibleArchitecture: 'archdoesnotexist' });
    assert.equal(
      errorOf(arch).message,
      "1 validation error detected: Value 'archdoesnotexist' at 'compatibleArchitecture' failed to satisfy constraint: Member must satisfy enum value set: [x86_64, arm64]",
    );
  });
});

describe('paging and the layers of another account', () => {
  it('resumes after a marker whose version was deleted between pages, and caps MaxItems at 50', async () => {
    const gw = createTestGateway();
    for (let i = 0; i < 4; i++) await publish(gw, 'deps');
    const first = await request(gw.app).get(`${BASE}/deps/versions`).query({ MaxItems: 2 });
    assert.equal(bodyOf<VersionsPage>(first).NextMarker, '3');
    await request(gw.app).delete(`${BASE}/deps/versions/3`);
    const rest = await request(gw.app)
      .get(`${BASE}/deps/versions`)
      .query({ MaxItems: 2, Marker: '3' });
    assert.deepEqual(
      bodyOf<VersionsPage>(rest).LayerVersions.map((v) => v.Version),
      [2, 1],
    );
    for (const path of [`${BASE}/deps/versions`, BASE]) {
      const tooMany = await request(gw.app).get(path).query({ MaxItems: 51 });
      assert.equal(tooMany.status, 400);
      assert.equal(
        errorOf(tooMany).message,
        "1 validation error detected: Value '51' at 'maxItems' failed to satisfy constraint: Member must have value less than or equal to 50",
      );
    }
  });

  it("answers for another account's layer as for one that is not there, and refuses to publish to it", async () => {
    const gw = createTestGateway();
    await publish(gw, 'deps');
    const foreign = encodeURIComponent(`arn:aws:lambda:${REGION}:222222222222:layer:deps`);
    const got = await request(gw.app).get(`${BASE}/${foreign}/versions/1`);
    assert.equal(got.status, 404);
    assert.equal(errorOf(got).Message, 'The resource you requested does not exist.');
    const listed = await request(gw.app).get(`${BASE}/${foreign}/versions`);
    assert.deepEqual(listed.body, { LayerVersions: [] });
    const tooMany = await request(gw.app)
      .get(`${BASE}/${foreign}/versions`)
      .query({ MaxItems: 51 });
    assert.equal(tooMany.status, 400, 'the model is checked first, as AWS does');
    assert.equal((await request(gw.app).delete(`${BASE}/${foreign}/versions/1`)).status, 204);
    assert.ok(await gw.layers.get('deps', 1), 'our own layer of that name is untouched');
    const published = await request(gw.app).post(`${BASE}/${foreign}/versions`).send(publishBody());
    assert.equal(published.status, 400);
    assert.equal(published.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    const own = encodeURIComponent(layerArn('deps'));
    assert.equal((await request(gw.app).get(`${BASE}/${own}/versions/1`)).status, 200);
  });

  it("checks GetLayerVersionByArn's Arn like AWS's model", async () => {
    const gw = createTestGateway();
    const missing = await request(gw.app).get(BASE).query({ find: 'LayerVersion' });
    assert.equal(
      errorOf(missing).message,
      "1 validation error detected: Value null at 'arn' failed to satisfy constraint: Member must not be null",
    );
    const long = `${layerArn('x'.repeat(120))}:1`;
    const tooLong = await request(gw.app).get(BASE).query({ find: 'LayerVersion', Arn: long });
    assert.equal(
      errorOf(tooLong).message,
      `1 validation error detected: Value '${long}' at 'arn' failed to satisfy constraint: Member must have length less than or equal to 140`,
    );
  });
});

describe('DeleteLayerVersion', () => {
  it('deletes a version (204, also when it is not there) and never reuses its number', async () => {
    const gw = createTestGateway();
    await publish(gw, 'deps');
    await publish(gw, 'deps');
    const del = await request(gw.app).delete(`${BASE}/deps/versions/2`);
    assert.equal(del.status, 204);
    assert.equal((await request(gw.app).get(`${BASE}/deps/versions/2`)).status, 404);
    assert.equal((await request(gw.app).delete(`${BASE}/deps/versions/2`)).status, 204);
    const third = await publish(gw, 'deps');
    assert.equal(third.Version, 3);
    await request(gw.app).delete(`${BASE}/deps/versions/1`);
    await request(gw.app).delete(`${BASE}/deps/versions/3`);
    const listed = await request(gw.app).get(BASE);
    assert.deepEqual(listed.body, { Layers: [] });
  });

  it("counts the archives of the versions that exist in the account's code size", async () => {
    const gw = createTestGateway();
    const usage = async (): Promise<number> => {
      const res = await request(gw.app).get('/2016-08-19/account-settings').expect(200);
      return (res.body as { AccountUsage: { TotalCodeSize: number } }).AccountUsage.TotalCodeSize;
    };
    assert.equal(await usage(), 0);
    await publish(gw, 'deps');
    await publish(gw, 'other');
    assert.equal(await usage(), 2 * ZIP.length);
    await request(gw.app).delete(`${BASE}/deps/versions/1`);
    assert.equal(await usage(), ZIP.length);
  });
});
