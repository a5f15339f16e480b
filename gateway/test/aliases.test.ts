import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  activeRecord,
  arn,
  createTestGateway,
  seed,
  type TestGateway,
} from './helpers/test-app.js';

const BASE = '/2015-03-31/functions';
const ALIASES = `${BASE}/demo/aliases`;
const PRECONDITION =
  'The Revision Id provided does not match the latest Revision Id. Call the GetFunction/GetAlias API to retrieve the latest Revision Id';
const WEIGHT_VALUES =
  'Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]';

/** A function with versions 1 and 2 published. */
async function gateway(): Promise<TestGateway> {
  let n = 0;
  const gw = createTestGateway({}, { newId: () => `id-${++n}` });
  await seed(gw, activeRecord('demo'));
  await gw.versions.publish((await gw.registry.get('demo'))!, {
    revisionId: 'v1-rev',
    lastModified: '2026-01-01T00:00:00.000+0000',
  });
  await gw.versions.publish(activeRecord('demo', { environment: { LABEL: 'two' } }), {
    revisionId: 'v2-rev',
    lastModified: '2026-01-01T00:00:00.000+0000',
  });
  return gw;
}

const create = (gw: TestGateway, body: Record<string, unknown>) =>
  request(gw.app).post(ALIASES).send(body);

describe('CreateAlias', () => {
  it('answers 201 with the AliasConfiguration, routing included', async () => {
    const gw = await gateway();
    const res = await create(gw, {
      Name: 'live',
      FunctionVersion: '1',
      Description: 'custom-alias',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.2 } },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, {
      AliasArn: arn('demo', 'live'),
      Name: 'live',
      FunctionVersion: '1',
      Description: 'custom-alias',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.2 } },
      RevisionId: 'id-2',
    });
  });

  it('leaves RoutingConfig out when it routes nowhere, and Description defaults to ""', async () => {
    const gw = await gateway();
    const res = await create(gw, {
      Name: '2024-01-02',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: {} },
    });
    assert.equal(res.status, 201);
    assert.deepEqual(res.body, {
      AliasArn: arn('demo', '2024-01-02'),
      Name: '2024-01-02',
      FunctionVersion: '1',
      Description: '',
      RevisionId: 'id-2',
    });
  });

  it('may point at $LATEST without routing', async () => {
    const gw = await gateway();
    const res = await create(gw, { Name: 'custom-latest', FunctionVersion: '$LATEST' });
    assert.equal(res.status, 201);
    assert.equal((res.body as { FunctionVersion: string }).FunctionVersion, '$LATEST');
  });

  const oracle: Array<[string, Record<string, unknown>, number, string, Record<string, string>]> = [
    [
      'an all-digit name',
      { Name: '2024', FunctionVersion: '1' },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
      },
    ],
    [
      'the primary version among the weights',
      {
        Name: 'a',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } },
      },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message:
          'Invalid function version 1. Function version 1 is already included in routing configuration.',
      },
    ],
    [
      'a negative weight',
      { Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': -1 } } },
      400,
      'ValidationException',
      {
        message: `1 validation error detected: Value '{2=-1.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: ${WEIGHT_VALUES}`,
      },
    ],
    [
      'a weight over 1',
      { Name: 'a', FunctionVersion: '1', RoutingConfig: { AdditionalVersionWeights: { '2': 2 } } },
      400,
      'ValidationException',
      {
        message: `1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: ${WEIGHT_VALUES}`,
      },
    ],
    [
      'two additional versions',
      {
        Name: 'a',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '1': 0.8, '2': 0.2 } },
      },
      400,
      'InvalidParameterValueException',
      {
        Type: 'User',
        message: 'Number of items in AdditionalVersionWeights cannot be greater than 1',
      },
    ],
    [
      'a weight on a version that does not exist',
      {
        Name: 'a',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '10': 0.5 } },
      },
      404,
      'ResourceNotFoundException',
      { Type: 'User', Message: `Function not found: ${arn('demo', '10')}` },
    ],
    [
      '$LATEST as a weight key',
      {
        Name: 'a',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { $LATEST: 0.5 } },
      },
      400,
      'ValidationException',
      {
        message:
          "1 validation error detected: Value '{$LATEST=0.5}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map keys must satisfy constraint: [Member must have length less than or equal to 1024, Member must have length greater than or equal to 1, Member must satisfy regular expression pattern: [0-9]+]",
      },
    ],
    [
      'a FunctionVersion that does not exist',
      {
        Name: 'a',
        FunctionVersion: '10',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
      },
      404,
      'ResourceNotFoundException',
      { Type: 'User', Message: `Function not found: ${arn('demo', '10')}` },
    ],
    [
      'routing on $LATEST',
      {
        Name: 'a',
        FunctionVersion: '$LATEST',
        RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } },
      },
      400,
      'InvalidParameterValueException',
      { message: '$LATEST is not supported for an alias pointing to more than 1 version' },
    ],
  ];
  for (const [label, body, status, type, error] of oracle) {
    it(`refuses ${label} as AWS does`, async () => {
      const gw = await gateway();
      const res = await create(gw, body);
      assert.equal(res.status, status);
      assert.equal(res.headers['x-amzn-errortype'], type);
      assert.deepEqual(res.body, error);
      assert.deepEqual(await gw.versions.listAliases('demo'), []);
    });
  }

  it('answers 409 for a name that exists', async () => {
    const gw = await gateway();
    await create(gw, { Name: 'custom', FunctionVersion: '1' }).expect(201);
    const res = await create(gw, { Name: 'custom', FunctionVersion: '2' });
    assert.equal(res.status, 409);
    assert.deepEqual(res.body, {
      Type: 'User',
      message: `Alias already exists: ${arn('demo', 'custom')}`,
    });
    assert.equal((await gw.versions.getAlias('demo', 'custom'))?.functionVersion, '1');
  });

  it('answers 404 naming the version when the function does not exist', async () => {
    const gw = await gateway();
    const res = await request(gw.app)
      .post(`${BASE}/demo-unknown/aliases`)
      .send({ Name: 'a', FunctionVersion: '1' });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, {
      Type: 'User',
      Message: `Function not found: ${arn('demo-unknown', '1')}`,
    });
  });
});

describe('GetAlias, UpdateAlias, DeleteAlias, ListAliases', () => {
  it('gets an alias, and answers 404 in GetAlias’s words for a missing one', async () => {
    const gw = await gateway();
    await create(gw, { Name: 'live', FunctionVersion: '1' }).expect(201);
    const got = await request(gw.app).get(`${ALIASES}/live`).expect(200);
    assert.equal((got.body as { AliasArn: string }).AliasArn, arn('demo', 'live'));
    const missing = await request(gw.app).get(`${ALIASES}/non-existent`);
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      Type: 'User',
      Message: `Cannot find alias arn: ${arn('demo', 'non-existent')}`,
    });
  });

  it('updates the version and routing with a new RevisionId; {} clears the routing', async () => {
    const gw = await gateway();
    const created = (await create(gw, { Name: 'live', FunctionVersion: '1' }).expect(201)).body as {
      RevisionId: string;
    };
    const routed = await request(gw.app)
      .put(`${ALIASES}/live`)
      .send({
        RevisionId: created.RevisionId,
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
      })
      .expect(200);
    assert.deepEqual(routed.body, {
      AliasArn: arn('demo', 'live'),
      Name: 'live',
      FunctionVersion: '1',
      Description: '',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.25 } },
      RevisionId: 'id-4',
    });
    const moved = await request(gw.app)
      .put(`${ALIASES}/live`)
      .send({ FunctionVersion: '2', RoutingConfig: { AdditionalVersionWeights: {} } })
      .expect(200);
    assert.deepEqual(moved.body, {
      AliasArn: arn('demo', 'live'),
      Name: 'live',
      FunctionVersion: '2',
      Description: '',
      RevisionId: 'id-6',
    });
  });

  it('checks the routing against the version it keeps', async () => {
    const gw = await gateway();
    await create(gw, { Name: 'live', FunctionVersion: '2' }).expect(201);
    const res = await request(gw.app)
      .put(`${ALIASES}/live`)
      .send({ RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } } });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      Type: 'User',
      message:
        'Invalid function version 2. Function version 2 is already included in routing configuration.',
    });
  });

  it('refuses a stale RevisionId (412) and a missing alias (404)', async () => {
    const gw = await gateway();
    await create(gw, { Name: 'live', FunctionVersion: '1' }).expect(201);
    const stale = await request(gw.app)
      .put(`${ALIASES}/live`)
      .send({ RevisionId: 'wrong', FunctionVersion: '2' });
    assert.equal(stale.status, 412);
    assert.equal(stale.headers['x-amzn-errortype'], 'PreconditionFailedException');
    assert.deepEqual(stale.body, { Type: 'User', message: PRECONDITION });
    assert.equal((await gw.versions.getAlias('demo', 'live'))?.functionVersion, '1');
    const missing = await request(gw.app)
      .put(`${ALIASES}/non-existent`)
      .send({ FunctionVersion: '1' });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, {
      Type: 'User',
      Message: `Alias not found: ${arn('demo', 'non-existent')}`,
    });
  });

  it('deletes with 204, also when the alias does not exist, with its provisioned and event invoke configs but not its URL', async () => {
    const gw = await gateway();
    await create(gw, { Name: 'live', FunctionVersion: '1' }).expect(201);
    await request(gw.app)
      .post('/2021-10-31/functions/demo/url?Qualifier=live')
      .send({ AuthType: 'NONE' })
      .expect(201);
    await request(gw.app)
      .put('/2019-09-30/functions/demo/provisioned-concurrency?Qualifier=live')
      .send({ ProvisionedConcurrentExecutions: 1 })
      .expect(202);
    await request(gw.app)
      .put('/2019-09-25/functions/demo/event-invoke-config?Qualifier=live')
      .send({ MaximumRetryAttempts: 0 })
      .expect(200);
    await request(gw.app).delete(`${ALIASES}/live`).expect(204);
    assert.equal(await gw.async.configs.get('demo', 'live'), undefined);
    await request(gw.app).delete(`${ALIASES}/live`).expect(204);
    assert.equal(await gw.versions.getAlias('demo', 'live'), undefined);
    const listed = await request(gw.app)
      .get('/2019-09-30/functions/demo/provisioned-concurrency?List=ALL')
      .expect(200);
    assert.deepEqual(listed.body, { ProvisionedConcurrencyConfigs: [] });
    // AWS keeps the URL config (aws-oracle url_errors.deleted_alias).
    await request(gw.app).get('/2021-10-31/functions/demo/url?Qualifier=live').expect(200);
  });

  it('lists aliases by name, filters by FunctionVersion and pages', async () => {
    const gw = await gateway();
    await create(gw, { Name: 'b', FunctionVersion: '2' }).expect(201);
    await create(gw, {
      Name: 'a',
      FunctionVersion: '1',
      RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
    }).expect(201);
    await create(gw, { Name: 'c', FunctionVersion: '1' }).expect(201);
    const names = (res: { body: unknown }) =>
      (res.body as { Aliases: Array<{ Name: string }> }).Aliases.map((a) => a.Name);
    const all = await request(gw.app).get(ALIASES).expect(200);
    assert.deepEqual(names(all), ['a', 'b', 'c']);
    assert.deepEqual(Object.keys(all.body as object), ['Aliases']);
    const onTwo = await request(gw.app).get(`${ALIASES}?FunctionVersion=2`).expect(200);
    assert.deepEqual(names(onTwo), ['a', 'b']);
    const page = await request(gw.app).get(`${ALIASES}?MaxItems=2`).expect(200);
    assert.deepEqual(
      [names(page), (page.body as { NextMarker?: string }).NextMarker],
      [['a', 'b'], 'b'],
    );
    const rest = await request(gw.app).get(`${ALIASES}?MaxItems=2&Marker=b`).expect(200);
    assert.deepEqual(names(rest), ['c']);
  });

  it('answers 404 for a function that does not exist', async () => {
    const gw = await gateway();
    for (const path of [`${BASE}/missing/aliases`, `${BASE}/missing/aliases/live`]) {
      const res = await request(gw.app).get(path);
      assert.equal(res.status, 404);
      assert.deepEqual(res.body, {
        Type: 'User',
        Message: `Function not found: ${arn('missing')}`,
      });
    }
  });
});
