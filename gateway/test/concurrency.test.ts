import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { activeRecord, arn, createTestGateway, seed } from './helpers/test-app.js';

const put = (name: string) => `/2017-10-31/functions/${name}/concurrency`;
const get = (name: string) => `/2019-09-30/functions/${name}/concurrency`;

describe('reserved concurrency', () => {
  it('puts, gets and deletes a reservation', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    assert.deepEqual((await request(gw.app).get(get('demo')).expect(200)).body, {});
    const res = await request(gw.app)
      .put(put('demo'))
      .send({ ReservedConcurrentExecutions: 1 })
      .expect(200);
    assert.deepEqual(res.body, { ReservedConcurrentExecutions: 1 });
    assert.deepEqual((await request(gw.app).get(get('demo')).expect(200)).body, {
      ReservedConcurrentExecutions: 1,
    });
    const del = await request(gw.app).delete(put('demo'));
    assert.equal(del.status, 204);
    assert.deepEqual((await request(gw.app).get(get('demo')).expect(200)).body, {});
  });

  it('accepts 0, which throttles every invocation', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    await request(gw.app).put(put('demo')).send({ ReservedConcurrentExecutions: 0 }).expect(200);
    assert.equal(await gw.registry.getReservedConcurrency('demo'), 0);
  });

  it('refuses a reservation that would exceed the account limit', async () => {
    const gw = createTestGateway({ ACCOUNT_CONCURRENCY_LIMIT: '10' });
    await seed(gw, activeRecord('a'));
    await seed(gw, activeRecord('b'));
    await request(gw.app).put(put('a')).send({ ReservedConcurrentExecutions: 6 }).expect(200);
    const res = await request(gw.app).put(put('b')).send({ ReservedConcurrentExecutions: 5 });
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.deepEqual(res.body, {
      message:
        "Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [0].",
    });
    // Changing a function's own reservation does not count it twice.
    await request(gw.app).put(put('a')).send({ ReservedConcurrentExecutions: 10 }).expect(200);
  });

  it("refuses a reservation below the function's provisioned concurrency, all qualifiers together", async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    for (const [qualifier, requested] of [
      ['1', 2],
      ['live', 1],
    ] as const) {
      await gw.provisioned.put({
        functionName: 'demo',
        qualifier,
        requested,
        lastModified: '2026-03-01T12:00:00.000+0000',
      });
    }
    const res = await request(gw.app).put(put('demo')).send({ ReservedConcurrentExecutions: 2 });
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.deepEqual(res.body, {
      message:
        " ReservedConcurrentExecutions  2 should not be lower than function's total provisioned concurrency [3].",
    });
    assert.equal(await gw.registry.getReservedConcurrency('demo'), undefined);
    await request(gw.app).put(put('demo')).send({ ReservedConcurrentExecutions: 3 }).expect(200);
  });

  it('refuses a negative or missing value', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const negative = await request(gw.app)
      .put(put('demo'))
      .send({ ReservedConcurrentExecutions: -1 });
    assert.deepEqual(negative.body, {
      message:
        "1 validation error detected: Value '-1' at 'reservedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 0",
    });
    const missing = await request(gw.app).put(put('demo')).send({});
    assert.equal(missing.status, 400);
    assert.equal(missing.headers['x-amzn-errortype'], 'ValidationException');
  });

  it('names the $LATEST ARN when putting on an unknown function, the plain ARN when getting', async () => {
    const gw = createTestGateway();
    const res = await request(gw.app)
      .put(put('doesnotexist'))
      .send({ ReservedConcurrentExecutions: 1 });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      Type: 'User',
      Message: `Function not found: ${arn('doesnotexist', '$LATEST')}`,
    });
    const got = await request(gw.app).get(get('doesnotexist'));
    assert.deepEqual(got.body, {
      Type: 'User',
      Message: `Function not found: ${arn('doesnotexist')}`,
    });
  });

  it('refuses a qualified ARN', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('demo'));
    const res = await request(gw.app)
      .put(put(encodeURIComponent(arn('demo', '$LATEST'))))
      .send({ ReservedConcurrentExecutions: 1 });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      Type: 'User',
      message:
        'This operation is permitted on Lambda functions only. Aliases and versions do not support this operation. Please specify either a function name or an unqualified function ARN.',
    });
  });
});

describe('GetAccountSettings', () => {
  it('reports limits, unreserved concurrency and usage', async () => {
    const gw = createTestGateway({ ACCOUNT_CONCURRENCY_LIMIT: '100' });
    await seed(gw, activeRecord('a', { codeSize: 10 }));
    await seed(gw, activeRecord('b', { codeSize: 32 }));
    await gw.registry.putReservedConcurrency('a', 25);
    const res = await request(gw.app).get('/2016-08-19/account-settings').expect(200);
    assert.deepEqual(res.body, {
      AccountLimit: {
        TotalCodeSize: 80_530_636_800,
        CodeSizeUnzipped: 262_144_000,
        CodeSizeZipped: 52_428_800,
        ConcurrentExecutions: 100,
        UnreservedConcurrentExecutions: 75,
      },
      AccountUsage: { TotalCodeSize: 42, FunctionCount: 2 },
    });
  });
});
