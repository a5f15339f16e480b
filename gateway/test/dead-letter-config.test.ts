import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { cfg, createRequestBody, createTestGateway } from './helpers/test-app.js';

const BASE = '/2015-03-31/functions';
const QUEUE = 'arn:aws:sqs:us-east-1:111111111111:dlq';

describe('DeadLetterConfig', () => {
  it('is stored by CreateFunction and shown right after Version', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ DeadLetterConfig: { TargetArn: QUEUE } }));
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(cfg(res).DeadLetterConfig, { TargetArn: QUEUE });
    const keys = Object.keys(res.body as object);
    assert.equal(keys[keys.indexOf('Version') + 1], 'DeadLetterConfig');
    assert.equal((await gw.registry.get('demo'))?.deadLetterTargetArn, QUEUE);
    const got = await request(gw.app).get(`${BASE}/demo/configuration`).expect(200);
    assert.deepEqual(cfg(got).DeadLetterConfig, { TargetArn: QUEUE });
  });

  it('is absent when not configured', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app).post(BASE).send(createRequestBody()).expect(201);
    assert.equal('DeadLetterConfig' in (res.body as object), false);
  });

  it('is changed by UpdateFunctionConfiguration and removed with an empty config', async () => {
    const gw = createTestGateway();
    await request(gw.app).post(BASE).send(createRequestBody()).expect(201);
    await gw.registry.update('demo', (r) => ({
      ...r,
      state: 'Active',
      lastUpdateStatus: 'Successful',
    }));
    const hook = 'https://hooks.example/dead-letters';
    const set = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ DeadLetterConfig: { TargetArn: hook } });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.deepEqual(cfg(set).DeadLetterConfig, { TargetArn: hook });
    await gw.registry.update('demo', (r) => ({ ...r, lastUpdateStatus: 'Successful' }));
    const cleared = await request(gw.app)
      .put(`${BASE}/demo/configuration`)
      .send({ DeadLetterConfig: {} })
      .expect(200);
    assert.equal('DeadLetterConfig' in (cleared.body as object), false);
    assert.equal((await gw.registry.get('demo'))?.deadLetterTargetArn, undefined);
  });

  it('refuses targets lambdock cannot deliver to', async () => {
    const gw = createTestGateway();
    const kinesis = 'arn:aws:kinesis:us-east-1:111111111111:stream/s';
    const res = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ DeadLetterConfig: { TargetArn: kinesis } }));
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.deepEqual(res.body, {
      Type: 'User',
      message: `The provided target ARN ${kinesis} is not a supported dead-letter target: use an SQS or SNS ARN, a Lambda function ARN or an http(s) URL.`,
    });
    const malformed = await request(gw.app)
      .post(BASE)
      .send(createRequestBody({ DeadLetterConfig: { TargetArn: 'queue' } }));
    assert.equal(malformed.headers['x-amzn-errortype'], 'ValidationException');
    assert.deepEqual(malformed.body, {
      message: String.raw`1 validation error detected: Value 'queue' at 'deadLetterConfig.targetArn' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:[a-z0-9-.]+:.*)|()`,
    });
    assert.equal(await gw.registry.get('demo'), undefined);
  });
});
