import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import request from 'supertest';
import type { InvokeJobData, Reply } from '@lambdock/core';
import {
  activeRecord,
  arn,
  createTestGateway,
  invokePath,
  reply,
  seed,
  type TestGateway,
} from './helpers/test-app.js';

const S3_PUT = readFileSync(
  new URL('../../test/fixtures/s3-events/aws-put.json', import.meta.url),
  'utf8',
);

/** Answers as a real worker does: the version the job names is the version that ran. */
const worker = (job: InvokeJobData): Reply =>
  reply(
    { requestId: job.requestId, executedVersion: job.qualifier },
    JSON.stringify({ ran: job.qualifier }),
  );

/**
 * `demo` with versions 1 (generation 11) and 2 (generation 12), alias `live` on 1 sending 20%
 * to 2, alias `edge` on $LATEST. `roll` is what the weighted pick draws.
 */
async function gateway(roll: { value: number }): Promise<TestGateway> {
  const gw = createTestGateway({}, { random: () => roll.value });
  await seed(gw, activeRecord('demo', { generation: 13 }));
  const options = { revisionId: 'r', lastModified: '2026-01-01T00:00:00.000+0000' };
  await gw.versions.publish(activeRecord('demo', { generation: 11 }), options);
  await gw.versions.publish(activeRecord('demo', { generation: 12, timeoutS: 5 }), options);
  await gw.versions.createAlias({
    name: 'live',
    functionName: 'demo',
    functionVersion: '1',
    description: '',
    additionalVersionWeights: { '2': 0.2 },
    revisionId: 'a',
  });
  await gw.versions.createAlias({
    name: 'edge',
    functionName: 'demo',
    functionVersion: '$LATEST',
    description: '',
    revisionId: 'b',
  });
  gw.queue.worker = worker;
  return gw;
}

describe('Invoke with a qualifier', () => {
  it('runs a version: the job names it and its generation, the ARN is the version’s', async () => {
    const gw = await gateway({ value: 0.5 });
    const res = await request(gw.app).post(invokePath('demo')).query({ Qualifier: '2' }).send('{}');
    assert.equal(res.status, 200);
    assert.equal(res.headers['x-amz-executed-version'], '2');
    const job = gw.queue.sync[0];
    assert.deepEqual(
      [job?.qualifier, job?.invokedArn, job?.generation, job?.replyDeadline],
      ['2', arn('demo', '2'), 12, (job?.acceptedAt ?? 0) + 5000 + gw.settings.syncReplyGraceMs],
    );
  });

  const picks: Array<[number, string]> = [
    [0.1, '2'],
    [0.19, '2'],
    [0.2, '1'],
    [0.9, '1'],
  ];
  for (const [roll, version] of picks) {
    it(`routes a weighted alias by its draw (${roll} runs version ${version})`, async () => {
      const gw = await gateway({ value: roll });
      const res = await request(gw.app)
        .post(invokePath(encodeURIComponent(arn('demo', 'live'))))
        .send('{}');
      assert.equal(res.status, 200);
      assert.equal(res.headers['x-amz-executed-version'], version);
      assert.equal(res.text, JSON.stringify({ ran: version }));
      const job = gw.queue.sync[0];
      assert.deepEqual([job?.qualifier, job?.invokedArn], [version, arn('demo', 'live')]);
    });
  }

  it('runs $LATEST through an alias on $LATEST, with the alias ARN', async () => {
    const gw = await gateway({ value: 0 });
    const res = await request(gw.app).post(invokePath('demo')).query({ Qualifier: 'edge' });
    assert.equal(res.headers['x-amz-executed-version'], '$LATEST');
    assert.deepEqual(
      [gw.queue.sync[0]?.qualifier, gw.queue.sync[0]?.invokedArn, gw.queue.sync[0]?.generation],
      ['$LATEST', arn('demo', 'edge'), 13],
    );
  });

  it('runs a version while $LATEST is being updated', async () => {
    const gw = await gateway({ value: 0.5 });
    await gw.registry.update('demo', (r) => ({ ...r, state: 'Pending' }));
    await request(gw.app).post(invokePath('demo')).query({ Qualifier: '1' }).expect(200);
    const refused = await request(gw.app).post(invokePath('demo'));
    assert.equal(refused.status, 409);
  });

  it('queues an Event with the qualifier as given, for the worker to resolve per attempt', async () => {
    const gw = await gateway({ value: 0.1 });
    await request(gw.app)
      .post(invokePath('demo'))
      .query({ Qualifier: 'live' })
      .set('x-amz-invocation-type', 'Event')
      .send('{}')
      .expect(202);
    assert.deepEqual(
      [gw.queue.async[0]?.qualifier, gw.queue.async[0]?.invokedArn],
      ['live', arn('demo', 'live')],
    );
  });

  for (const type of ['RequestResponse', 'Event', 'DryRun']) {
    it(`answers 404 naming the missing alias or version (${type})`, async () => {
      const gw = await gateway({ value: 0.5 });
      for (const q of ['non-existent-alias', '9']) {
        const res = await request(gw.app)
          .post(invokePath('demo'))
          .query({ Qualifier: q })
          .set('x-amz-invocation-type', type)
          .send('{}');
        assert.equal(res.status, 404);
        assert.deepEqual(res.body, {
          Type: 'User',
          Message: `Function not found: ${arn('demo', q)}`,
        });
      }
      assert.deepEqual(
        [gw.queue.sync.length, gw.queue.async.length, gw.leases.held.size],
        [0, 0, 0],
      );
    });
  }
});

describe('Event sources with a qualifier', () => {
  it('serves an alias’s function URL, resolved like a sync invoke', async () => {
    const gw = await gateway({ value: 0.1 });
    const missing = await request(gw.app)
      .post(`/2021-10-31/functions/demo/url?Qualifier=nope`)
      .send({ AuthType: 'NONE' });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { Type: 'User', Message: 'Function does not exist' });
    const created = await request(gw.app)
      .post(`/2021-10-31/functions/demo/url?Qualifier=live`)
      .send({ AuthType: 'NONE' })
      .expect(201);
    const url = new URL((created.body as { FunctionUrl: string }).FunctionUrl);
    const res = await request(gw.app).get(`${url.pathname}hello`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, { ran: '2' });
    assert.deepEqual(
      [gw.queue.sync[0]?.qualifier, gw.queue.sync[0]?.invokedArn],
      ['2', arn('demo', 'live')],
    );
  });

  it('runs an HTTP route on its configured alias', async () => {
    const gw = await gateway({ value: 0.9 });
    await request(gw.app)
      .post('/lambdock/v1/routes')
      .send({ RouteKey: 'GET /hello', FunctionName: 'demo', Qualifier: 'live' })
      .expect(201);
    const res = await request(gw.app).get('/hello');
    assert.equal(res.status, 200);
    assert.deepEqual(
      [gw.queue.sync[0]?.qualifier, gw.queue.sync[0]?.invokedArn],
      ['1', arn('demo', 'live')],
    );
  });

  it('queues a storage event with the trigger’s qualifier as configured', async () => {
    const gw = await gateway({ value: 0.5 });
    const hook = await request(gw.app)
      .post('/lambdock/v1/webhooks')
      .send({ Name: 'photos' })
      .expect(201);
    await request(gw.app)
      .post('/lambdock/v1/storage-triggers')
      .send({
        Id: 't1',
        Webhook: 'photos',
        Bucket: 'photos',
        Events: ['s3:ObjectCreated:*'],
        FunctionName: 'demo',
        Qualifier: 'live',
      })
      .expect(201);
    await request(gw.app)
      .post('/lambdock/v1/storage-events/photos')
      .set('authorization', `Bearer ${(hook.body as { Secret: string }).Secret}`)
      .set('content-type', 'application/json')
      .send(S3_PUT)
      .expect(200);
    assert.deepEqual(
      [gw.queue.async[0]?.qualifier, gw.queue.async[0]?.invokedArn],
      ['live', arn('demo', 'live')],
    );
  });
});
