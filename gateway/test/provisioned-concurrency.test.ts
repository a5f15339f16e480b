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

const PATH = '/2019-09-30/functions/demo/provisioned-concurrency';
const NOW = Date.UTC(2026, 0, 2, 3, 4, 5);
const LAST_MODIFIED = '2026-01-02T03:04:05.000+0000';
const NOT_FOUND = 'No Provisioned Concurrency Config found for this function';

/** `demo` with version 1 published and alias `live` on it. */
async function gateway(): Promise<TestGateway> {
  const gw = createTestGateway({}, { now: () => NOW });
  await seed(gw, activeRecord('demo'));
  await publishWithAlias(gw, 'demo', LAST_MODIFIED);
  return gw;
}

const put = (gw: TestGateway, qualifier: string, count: unknown, name = 'demo') =>
  request(gw.app)
    .put(`/2019-09-30/functions/${name}/provisioned-concurrency`)
    .query({ Qualifier: qualifier })
    .send({ ProvisionedConcurrentExecutions: count });

const view = (status: string, requested: number, allocated: number) => ({
  RequestedProvisionedConcurrentExecutions: requested,
  AvailableProvisionedConcurrentExecutions: allocated,
  AllocatedProvisionedConcurrentExecutions: allocated,
  Status: status,
  LastModified: LAST_MODIFIED,
});

describe('provisioned concurrency API', () => {
  it('answers Put with 202 IN_PROGRESS and Get with the worker progress for that count', async () => {
    const gw = await gateway();
    const res = await put(gw, 'live', 2).expect(202);
    assert.deepEqual(res.body, view('IN_PROGRESS', 2, 0));
    gw.provisioned.progress.set('demo:live', { requested: 2, allocated: 2, status: 'READY' });
    const got = await request(gw.app).get(PATH).query({ Qualifier: 'live' }).expect(200);
    assert.deepEqual(got.body, view('READY', 2, 2));
    // A new count is IN_PROGRESS until the worker reports on it.
    await put(gw, 'live', 3).expect(202);
    const again = await request(gw.app).get(PATH).query({ Qualifier: 'live' }).expect(200);
    assert.deepEqual(again.body, view('IN_PROGRESS', 3, 0));
  });

  it('lists configs with their qualified FunctionArn', async () => {
    const gw = await gateway();
    assert.deepEqual((await request(gw.app).get(PATH).query({ List: 'ALL' }).expect(200)).body, {
      ProvisionedConcurrencyConfigs: [],
    });
    await put(gw, 'live', 1).expect(202);
    const res = await request(gw.app).get(PATH).query({ List: 'ALL' }).expect(200);
    assert.deepEqual(res.body, {
      ProvisionedConcurrencyConfigs: [
        { FunctionArn: arn('demo', 'live'), ...view('IN_PROGRESS', 1, 0) },
      ],
    });
  });

  it('deletes with 204, also when there is no config, and Get then answers 404', async () => {
    const gw = await gateway();
    await put(gw, '1', 1).expect(202);
    await request(gw.app).delete(PATH).query({ Qualifier: '1' }).expect(204);
    await request(gw.app).delete(PATH).query({ Qualifier: '1' }).expect(204);
    const res = await request(gw.app).get(PATH).query({ Qualifier: '1' }).expect(404);
    assert.equal(res.headers['x-amzn-errortype'], 'ProvisionedConcurrencyConfigNotFoundException');
    assert.deepEqual(res.body, {
      Type: 'User',
      message: NOT_FOUND,
    });
  });

  it('keeps provisioned environments within the reservation, or the unreserved account pool', async () => {
    const gw = await gateway();
    await gw.registry.putReservedConcurrency('demo', 2);
    await put(gw, '1', 2).expect(202);
    const over = await put(gw, '1', 3).expect(400);
    assert.deepEqual(over.body, {
      Type: 'User',
      message:
        'Requested Provisioned Concurrency should not be greater than the reservedConcurrentExecution for function',
    });
    await gw.registry.deleteReservedConcurrency('demo');
    await gw.registry.putReservedConcurrency('other', 995);
    // Account limit 1000, 995 reserved elsewhere: 5 unreserved.
    await put(gw, '1', 5).expect(202);
    const account = await put(gw, '1', 6).expect(400);
    assert.equal(account.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.deepEqual(account.body, {
      message:
        "Specified ConcurrentExecutions for function is greater than account's unreserved concurrency [5].",
    });
  });

  it('DeleteFunction removes its configs, so a function created again under the name has none', async () => {
    const gw = await gateway();
    await put(gw, 'live', 2).expect(202);
    await request(gw.app).delete('/2015-03-31/functions/demo').expect(204);
    assert.deepEqual(await gw.provisioned.list('demo'), []);
  });

  it("refuses $LATEST with AWS's messages", async () => {
    const gw = await gateway();
    const onPut = await put(gw, '$LATEST', 1).expect(400);
    assert.equal(onPut.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.deepEqual(onPut.body, {
      Type: 'User',
      message:
        'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
    });
    const onGet = await request(gw.app).get(PATH).query({ Qualifier: '$LATEST' }).expect(400);
    assert.deepEqual(onGet.body, {
      Type: 'User',
      message: 'The function resource provided must be an alias or a published version.',
    });
  });

  it('answers 404 for a missing version, alias or function', async () => {
    const gw = await gateway();
    const version = await put(gw, '10', 1).expect(404);
    assert.deepEqual(version.body, {
      Type: 'User',
      Message: `Function not found: ${arn('demo', '10')}`,
    });
    const alias = await request(gw.app).get(PATH).query({ Qualifier: 'noalias' }).expect(404);
    assert.deepEqual(alias.body, {
      Type: 'User',
      Message: `Cannot find alias arn: ${arn('demo', 'noalias')}`,
    });
    const fn = await put(gw, 'noalias', 1, 'doesnotexist').expect(404);
    assert.deepEqual(fn.body, {
      Type: 'User',
      Message: `Cannot find alias arn: ${arn('doesnotexist', 'noalias')}`,
    });
    const list = await request(gw.app)
      .get('/2019-09-30/functions/doesnotexist/provisioned-concurrency')
      .query({ List: 'ALL' })
      .expect(404);
    assert.deepEqual(list.body, {
      Type: 'User',
      Message: `Function not found: ${arn('doesnotexist')}`,
    });
  });

  it('refuses a count below 1', async () => {
    const gw = await gateway();
    const res = await put(gw, 'live', 0).expect(400);
    assert.deepEqual(res.body, {
      message:
        "1 validation error detected: Value '0' at 'provisionedConcurrentExecutions' failed to satisfy constraint: Member must have value greater than or equal to 1",
    });
  });

  it('refuses a config on both an alias and the version it names', async () => {
    const gw = await gateway();
    await put(gw, '1', 1).expect(202);
    const onAlias = await put(gw, 'live', 1).expect(409);
    assert.deepEqual(onAlias.body, {
      Type: 'User',
      message:
        "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
    });
    await request(gw.app).delete(PATH).query({ Qualifier: '1' }).expect(204);
    await put(gw, 'live', 1).expect(202);
    const onVersion = await put(gw, '1', 1).expect(409);
    assert.deepEqual(onVersion.body, {
      Type: 'User',
      message: 'Version is pointed by a Provisioned Concurrency alias',
    });
  });
});
