/**
 * Functions with layers on the gateway: CreateFunction and UpdateFunctionConfiguration take
 * published layer versions, the function shows them as AWS does (`Layers: [{Arn, CodeSize}]`,
 * after RevisionId), keeps what it needs of each so it outlives a deleted version, and a
 * published version of the function keeps the layers it had.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import type { FunctionConfiguration } from '@lambdock/core';
import {
  ACCOUNT,
  REGION,
  activeGateway,
  cfg,
  createRequestBody,
  createTestGateway,
  errorOf,
} from './helpers/test-app.js';
import { buildZip } from './helpers/zip.js';

const FUNCTIONS = '/2015-03-31/functions';
const LAYERS = '/2018-10-31/layers';
const layerVersion = (name: string, version: number): string =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:layer:${name}:${version}`;

/**
 * A one-entry (deflated) zip whose headers declare `size` unzipped bytes: the gateway checks the
 * declared sizes (its central directory), so a large package costs the test nothing.
 */
function declaringSize(zip: Buffer, size: number): Buffer {
  const patched = Buffer.from(zip);
  const local = 0;
  const central = patched.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  patched.writeUInt32LE(size, local + 22);
  patched.writeUInt32LE(size, central + 24);
  return patched;
}

async function publishLayer(
  gw: ReturnType<typeof createTestGateway>,
  name: string,
  files: Record<string, string>,
) {
  const zip = buildZip(files);
  const res = await request(gw.app)
    .post(`${LAYERS}/${name}/versions`)
    .send({ Content: { ZipFile: zip.toString('base64') } });
  assert.equal(res.status, 201);
  return { arn: (res.body as { LayerVersionArn: string }).LayerVersionArn, size: zip.length };
}

describe('functions with layers', () => {
  it('creates a function with layers in the order given and shows them after RevisionId', async () => {
    const gw = createTestGateway();
    const a = await publishLayer(gw, 'a', { 'python/a.py': 'A = 1\n' });
    const b = await publishLayer(gw, 'b', { 'python/b.py': 'B = 22\n' });
    const res = await request(gw.app)
      .post(FUNCTIONS)
      .send(createRequestBody({ Layers: [b.arn, a.arn] }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    const config = cfg(res);
    assert.deepEqual(config.Layers, [
      { Arn: b.arn, CodeSize: b.size },
      { Arn: a.arn, CodeSize: a.size },
    ]);
    const keys = Object.keys(config);
    assert.equal(keys.indexOf('Layers'), keys.indexOf('RevisionId') + 1);
    const stored = await gw.registry.get('demo');
    assert.deepEqual(
      stored?.layers?.map((l) => l.arn),
      [b.arn, a.arn],
    );
    assert.equal(stored?.layers?.[0]?.codeKey.length, 64);
    const listed = await request(gw.app).get(FUNCTIONS);
    const functions = (listed.body as { Functions: FunctionConfiguration[] }).Functions;
    assert.deepEqual(functions[0]?.Layers, config.Layers);
  });

  it('names the first version that does not exist, leaving nothing stored', async () => {
    const gw = createTestGateway();
    const a = await publishLayer(gw, 'a', { 'python/a.py': 'A = 1\n' });
    const res = await request(gw.app)
      .post(FUNCTIONS)
      .send(createRequestBody({ Layers: [a.arn, layerVersion('a-missing', 1)] }));
    assert.equal(res.status, 400);
    assert.equal(
      errorOf(res).message,
      `Layer version ${layerVersion('a-missing', 1)} does not exist.`,
    );
    assert.equal(await gw.registry.get('demo'), undefined);
  });

  it('replaces the layers on update, removes them with an empty list, and keeps them in a published version', async () => {
    const gw = await activeGateway();
    const a = await publishLayer(gw, 'a', { 'python/a.py': 'A = 1\n' });
    const a2 = await publishLayer(gw, 'a', { 'python/a.py': 'A = 2\n' });
    /** The update as a worker's prepare job leaves it, so the next one is allowed. */
    const configure = async (body: Record<string, unknown>) => {
      const res = await request(gw.app).put(`${FUNCTIONS}/demo/configuration`).send(body);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      await gw.registry.update('demo', (r) => ({ ...r, lastUpdateStatus: 'Successful' }));
      return cfg(res).Layers?.map((l) => l.Arn);
    };
    assert.deepEqual(await configure({ Layers: [a.arn] }), [a.arn]);
    assert.deepEqual(await configure({ Timeout: 7 }), [a.arn]);
    const published = await request(gw.app).post(`${FUNCTIONS}/demo/versions`).send({});
    assert.equal(published.status, 201);
    assert.deepEqual(
      cfg(published).Layers?.map((l) => l.Arn),
      [a.arn],
    );
    assert.deepEqual(await configure({ Layers: [a2.arn] }), [a2.arn]);
    assert.equal(await configure({ Layers: [] }), undefined);
    assert.equal((await gw.registry.get('demo'))?.layers, undefined);
    const version1 = await request(gw.app)
      .get(`${FUNCTIONS}/demo/configuration`)
      .query({ Qualifier: '1' });
    assert.deepEqual(
      cfg(version1).Layers?.map((l) => l.Arn),
      [a.arn],
    );
  });

  it('keeps a function whose layer version was deleted as it was', async () => {
    const gw = createTestGateway();
    const a = await publishLayer(gw, 'a', { 'python/a.py': 'A = 1\n' });
    await request(gw.app)
      .post(FUNCTIONS)
      .send(createRequestBody({ Layers: [a.arn] }));
    assert.equal((await request(gw.app).delete(`${LAYERS}/a/versions/1`)).status, 204);
    const got = await request(gw.app).get(`${FUNCTIONS}/demo`);
    const shown = (got.body as { Configuration: FunctionConfiguration }).Configuration;
    assert.deepEqual(shown.Layers, [{ Arn: a.arn, CodeSize: a.size }]);
    const codeKey = (await gw.registry.get('demo'))?.layers?.[0]?.codeKey ?? '';
    assert.ok(gw.registry.code.has(codeKey), 'the layer zip stays for the function');
  });

  it('refuses code and layers that unzip to more than 262,144,000 bytes together, each way in', async () => {
    const gw = createTestGateway();
    const big = declaringSize(buildZip({ 'python/big.bin': 'x' }, { deflate: true }), 200_000_000);
    const published = await request(gw.app)
      .post(`${LAYERS}/big/versions`)
      .send({ Content: { ZipFile: big.toString('base64') } });
    assert.equal(published.status, 201);
    const arn = (published.body as { LayerVersionArn: string }).LayerVersionArn;
    const code = declaringSize(buildZip({ 'handler.py': 'x' }, { deflate: true }), 70_000_000);
    const total = 270_000_000;
    const tooBig = `Function code combined with layers exceeds the maximum allowed size of 262144000 bytes. The actual size is ${total} bytes.`;
    const created = await request(gw.app)
      .post(FUNCTIONS)
      .send(createRequestBody({ Code: { ZipFile: code.toString('base64') }, Layers: [arn] }));
    assert.equal(created.status, 400);
    assert.equal(created.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.equal(errorOf(created).message, tooBig);
    assert.equal(await gw.registry.get('demo'), undefined);

    const withBigCode = await request(gw.app)
      .post(FUNCTIONS)
      .send(createRequestBody({ Code: { ZipFile: code.toString('base64') } }));
    assert.equal(withBigCode.status, 201);
    await gw.registry.update('demo', (r) => ({ ...r, state: 'Active' }));
    const configured = await request(gw.app)
      .put(`${FUNCTIONS}/demo/configuration`)
      .send({ Layers: [arn] });
    assert.equal(errorOf(configured).message, tooBig);

    const small = createRequestBody().Code as { ZipFile: string };
    await request(gw.app).delete(`${FUNCTIONS}/demo`);
    const layered = await request(gw.app)
      .post(FUNCTIONS)
      .send(createRequestBody({ Code: small, Layers: [arn] }));
    assert.equal(layered.status, 201);
    await gw.registry.update('demo', (r) => ({ ...r, state: 'Active' }));
    const recoded = await request(gw.app)
      .put(`${FUNCTIONS}/demo/code`)
      .send({ ZipFile: code.toString('base64') });
    assert.equal(errorOf(recoded).message, tooBig);
  });
});
