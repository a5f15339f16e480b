import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { cfg } from './helpers/test-app.js';
import { BASE, changeEnvironment, publish, versionGateway } from './helpers/version-gateway.js';

describe('DeleteFunction and versions', () => {
  it('refuses to delete a version an alias points at or routes to, naming the aliases', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    await changeEnvironment(gw, 'two');
    await publish(gw).expect(201);
    await request(gw.app)
      .post(`${BASE}/demo/aliases`)
      .send({
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.1 } },
      })
      .expect(201);
    await request(gw.app)
      .post(`${BASE}/demo/aliases`)
      .send({ Name: 'stable', FunctionVersion: '2' })
      .expect(201);
    const res = await request(gw.app).delete(`${BASE}/demo?Qualifier=2`);
    assert.equal(res.status, 409);
    assert.equal(res.headers['x-amzn-errortype'], 'ResourceConflictException');
    assert.deepEqual(res.body, {
      Type: 'User',
      message:
        'Unable to delete version because the following aliases reference it: [live, stable]',
    });
    assert.ok(await gw.versions.getVersion('demo', '2'));
  });

  it('deletes an unreferenced version; later versions keep their numbers', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    await changeEnvironment(gw, 'two');
    await publish(gw).expect(201);
    await request(gw.app).delete(`${BASE}/demo?Qualifier=1`).expect(204);
    const res = await request(gw.app).get(`${BASE}/demo/versions`).expect(200);
    const listed = (res.body as { Versions: Array<{ Version: string }> }).Versions;
    assert.deepEqual(
      listed.map((v) => v.Version),
      ['$LATEST', '2'],
    );
    await changeEnvironment(gw, 'three');
    assert.equal(cfg(await publish(gw).expect(201)).Version, '3');
  });

  it('takes a deleted version’s provisioned, event invoke and policy settings along', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    await request(gw.app)
      .put(`/2019-09-30/functions/demo/provisioned-concurrency?Qualifier=1`)
      .send({ ProvisionedConcurrentExecutions: 1 })
      .expect(202);
    await request(gw.app)
      .put(`/2019-09-25/functions/demo/event-invoke-config?Qualifier=1`)
      .send({ MaximumRetryAttempts: 0 })
      .expect(200);
    await request(gw.app)
      .post(`${BASE}/demo/policy?Qualifier=1`)
      .send({ StatementId: 's', Action: 'lambda:InvokeFunction', Principal: '*' })
      .expect(201);
    await request(gw.app).delete(`${BASE}/demo?Qualifier=1`).expect(204);
    assert.deepEqual(
      [
        await gw.provisioned.get('demo', '1'),
        await gw.async.configs.get('demo', '1'),
        await gw.policies.get('demo', '1'),
      ],
      [undefined, undefined, undefined],
    );
    // Nothing left counts against a lower reservation.
    await request(gw.app)
      .put('/2017-10-31/functions/demo/concurrency')
      .send({ ReservedConcurrentExecutions: 0 })
      .expect(200);
  });

  it('deletes versions and aliases with the function', async () => {
    const gw = await versionGateway();
    await publish(gw).expect(201);
    await request(gw.app)
      .post(`${BASE}/demo/aliases`)
      .send({ Name: 'live', FunctionVersion: '1' })
      .expect(201);
    await request(gw.app).delete(`${BASE}/demo`).expect(204);
    assert.deepEqual(
      [await gw.versions.listVersions('demo'), await gw.versions.listAliases('demo')],
      [[], []],
    );
  });
});
