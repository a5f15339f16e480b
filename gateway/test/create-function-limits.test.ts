import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { UNZIPPED_LIMIT_BYTES } from '../src/functions/code-package.js';
import { createRequestBody, createTestGateway } from './helpers/test-app.js';
import { buildZip } from './helpers/zip.js';

const BASE = '/2015-03-31/functions';

describe('CreateFunction size limits and body', () => {
  it('refuses a package that unzips to 250 MB or more, to the byte', async () => {
    const gw = createTestGateway();
    const zip = buildZip(
      { 'index.mjs': Buffer.alloc(UNZIPPED_LIMIT_BYTES - 1, 0x23), 'b.txt': '#' },
      { deflate: true },
    );
    const res = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ Code: { ZipFile: zip.toString('base64') } }));
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      Type: 'User',
      message: 'Unzipped size must be smaller than 262144000 bytes',
    });
    const under = buildZip(
      { 'index.mjs': Buffer.alloc(UNZIPPED_LIMIT_BYTES - 1, 0x23) },
      { deflate: true },
    );
    await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ Code: { ZipFile: under.toString('base64') } }))
      .expect(201);
  });

  it('refuses a zip over 50 MB with 413', async () => {
    const gw = createTestGateway();
    const big = Buffer.alloc(52_428_801).toString('base64');
    const res = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ Code: { ZipFile: big } }));
    assert.equal(res.status, 413);
    assert.equal(res.headers['x-amzn-errortype'], 'RequestEntityTooLargeException');
    assert.deepEqual(res.body, { message: 'Zipped size must be smaller than 52428800 bytes' });
  });

  it('refuses a request body over AWS limit with 413 naming the operation', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .set('content-type', 'application/json')
      .send(`{"FunctionName":"x","Pad":"${'p'.repeat(70_167_212)}"}`);
    assert.equal(res.status, 413);
    assert.deepEqual(res.body, {
      message: 'Request must be smaller than 70167211 bytes for the CreateFunction operation',
    });
  });

  it('refuses a body that is not JSON', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .set('content-type', 'application/json')
      .send('{nope');
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidRequestContentException');
  });
});
