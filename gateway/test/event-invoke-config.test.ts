import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  activeRecord,
  arn,
  createTestGateway,
  publishWithAlias,
  seed,
} from './helpers/test-app.js';

const NOW_MS = Date.UTC(2026, 2, 1, 12, 0, 0, 250);
const path = (name: string, qualifier?: string): string =>
  `/2019-09-25/functions/${encodeURIComponent(name)}/event-invoke-config${qualifier === undefined ? '' : `?Qualifier=${encodeURIComponent(qualifier)}`}`;
const EMPTY_DESTINATIONS = { OnFailure: {}, OnSuccess: {} };

interface ConfigView {
  DestinationConfig: unknown;
  FunctionArn: string;
  MaximumRetryAttempts?: number;
}
const view = (res: { body: unknown }): ConfigView => res.body as ConfigView;
const listed = (res: {
  body: unknown;
}): { FunctionEventInvokeConfigs: ConfigView[]; NextMarker?: string } =>
  res.body as { FunctionEventInvokeConfigs: ConfigView[]; NextMarker?: string };

/** `demo` with version 1 and alias `live` on it, and `other`. */
async function gateway() {
  const gw = createTestGateway({}, { now: () => NOW_MS });
  await seed(gw, activeRecord('demo'));
  await seed(gw, activeRecord('other'));
  await publishWithAlias(gw, 'demo');
  return gw;
}

describe('event invoke config', () => {
  it('puts (replacing), updates (merging), gets, lists and deletes a config', async () => {
    const gw = await gateway();
    const put = await request(gw.app).put(path('demo')).send({ MaximumRetryAttempts: 0 });
    assert.equal(put.status, 200);
    assert.deepEqual(put.body, {
      DestinationConfig: EMPTY_DESTINATIONS,
      FunctionArn: arn('demo', '$LATEST'),
      LastModified: NOW_MS / 1000,
      MaximumRetryAttempts: 0,
    });
    const replaced = await request(gw.app).put(path('demo')).send({ MaximumEventAgeInSeconds: 60 });
    assert.deepEqual(replaced.body, {
      DestinationConfig: EMPTY_DESTINATIONS,
      FunctionArn: arn('demo', '$LATEST'),
      LastModified: NOW_MS / 1000,
      MaximumEventAgeInSeconds: 60,
    });
    const merged = await request(gw.app).post(path('demo')).send({ MaximumRetryAttempts: 1 });
    const expected = {
      DestinationConfig: EMPTY_DESTINATIONS,
      FunctionArn: arn('demo', '$LATEST'),
      LastModified: NOW_MS / 1000,
      MaximumEventAgeInSeconds: 60,
      MaximumRetryAttempts: 1,
    };
    assert.deepEqual(merged.body, expected);
    assert.deepEqual((await request(gw.app).get(path('demo')).expect(200)).body, expected);
    const list = await request(gw.app)
      .get(`${path('demo')}/list`)
      .expect(200);
    assert.deepEqual(list.body, { FunctionEventInvokeConfigs: [expected] });
    await request(gw.app).delete(path('demo')).expect(204);
    const gone = await request(gw.app).get(path('demo'));
    assert.equal(gone.status, 404);
    assert.equal(gone.headers['x-amzn-errortype'], 'ResourceNotFoundException');
    assert.deepEqual(gone.body, {
      Type: 'User',
      Message: `The function ${arn('demo', '$LATEST')} doesn't have an EventInvokeConfig`,
    });
  });

  it('stores destinations of every supported kind and keeps the other side on update', async () => {
    const gw = await gateway();
    const destinations = {
      OnSuccess: { Destination: 'arn:aws:sqs:us-east-1:111111111111:done' },
      OnFailure: { Destination: arn('other') },
    };
    const put = await request(gw.app).put(path('demo')).send({ DestinationConfig: destinations });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.deepEqual(view(put).DestinationConfig, {
      OnFailure: destinations.OnFailure,
      OnSuccess: destinations.OnSuccess,
    });
    const updated = await request(gw.app)
      .post(path('demo'))
      .send({ DestinationConfig: { OnSuccess: { Destination: 'https://hooks.example/ok' } } })
      .expect(200);
    assert.deepEqual(view(updated).DestinationConfig, {
      OnFailure: destinations.OnFailure,
      OnSuccess: { Destination: 'https://hooks.example/ok' },
    });
    const cleared = await request(gw.app)
      .post(path('demo'))
      .send({ DestinationConfig: { OnFailure: {} } })
      .expect(200);
    assert.deepEqual(view(cleared).DestinationConfig, {
      OnFailure: {},
      OnSuccess: { Destination: 'https://hooks.example/ok' },
    });
    const sns = await request(gw.app)
      .put(path('demo'))
      .send({
        DestinationConfig: { OnFailure: { Destination: 'arn:aws:sns:us-east-1:111111111111:t' } },
      });
    assert.equal(sns.status, 200);
  });

  it('keeps one config per qualifier, each with its qualified ARN', async () => {
    const gw = await gateway();
    await request(gw.app).put(path('demo')).send({ MaximumRetryAttempts: 2 }).expect(200);
    const live = await request(gw.app).put(path('demo', 'live')).send({ MaximumRetryAttempts: 1 });
    assert.equal(view(live).FunctionArn, arn('demo', 'live'));
    const shorthand = await request(gw.app).get(path('demo:live')).expect(200);
    assert.equal(view(shorthand).MaximumRetryAttempts, 1);
    const list = await request(gw.app)
      .get(`${path('demo')}/list`)
      .expect(200);
    assert.deepEqual(
      listed(list).FunctionEventInvokeConfigs.map((c) => c.FunctionArn),
      [arn('demo', '$LATEST'), arn('demo', 'live')],
    );
    const paged = await request(gw.app)
      .get(`${path('demo')}/list?MaxItems=1`)
      .expect(200);
    assert.equal(listed(paged).NextMarker, '$LATEST');
    const next = await request(gw.app).get(`${path('demo')}/list?MaxItems=1&Marker=%24LATEST`);
    assert.equal(listed(next).FunctionEventInvokeConfigs[0]?.FunctionArn, arn('demo', 'live'));
  });

  it("answers AWS's errors for missing functions and configs", async () => {
    const gw = await gateway();
    const cases: [string, string, string][] = [
      ['put', path('doesnotexist'), "The function doesn't exist."],
      ['put', path('demo', 'nosuchalias'), "The function doesn't exist."],
      ['put', path('demo', '2'), "The function doesn't exist."],
      ['put', path('demo:nosuchalias'), "The function doesn't exist."],
      ['post', path('doesnotexist'), "The function doesn't exist."],
      [
        'post',
        path('demo'),
        `The function ${arn('demo', '$LATEST')} doesn't have an EventInvokeConfig`,
      ],
      ['get', `${path('doesnotexist')}/list`, "The function doesn't exist."],
      [
        'get',
        path('doesnotexist'),
        `The function ${arn('doesnotexist', '$LATEST')} doesn't have an EventInvokeConfig`,
      ],
      [
        'delete',
        path('demo', '1221'),
        `The function ${arn('demo', '1221')} doesn't have an EventInvokeConfig`,
      ],
    ];
    for (const [method, url, message] of cases) {
      const res = await request(gw.app)[method as 'get'](url).send({ MaximumRetryAttempts: 1 });
      assert.equal(res.status, 404, `${method} ${url}`);
      assert.deepEqual(res.body, { Type: 'User', Message: message }, `${method} ${url}`);
    }
    assert.deepEqual((await request(gw.app).get(`${path('demo')}/list`)).body, {
      FunctionEventInvokeConfigs: [],
    });
    // A version that exists takes a config.
    const version = await request(gw.app).put(path('demo', '1')).send({ MaximumRetryAttempts: 1 });
    assert.equal(version.status, 200);
    assert.equal(view(version).FunctionArn, arn('demo', '1'));
  });

  it('refuses a request without any setting, before looking for the function', async () => {
    const gw = await gateway();
    const res = await request(gw.app).put(path('doesnotexist')).send({});
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException');
    assert.deepEqual(res.body, {
      Type: 'User',
      message: 'You must specify at least one of error handling or destination setting.',
    });
  });

  it('checks the ranges and the destination pattern of the API model', async () => {
    const gw = await gateway();
    const retries = await request(gw.app).put(path('demo')).send({ MaximumRetryAttempts: 3 });
    assert.equal(retries.headers['x-amzn-errortype'], 'ValidationException');
    assert.deepEqual(retries.body, {
      message:
        "1 validation error detected: Value '3' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value less than or equal to 2",
    });
    const age = await request(gw.app)
      .put(path('demo'))
      .send({ MaximumEventAgeInSeconds: 59, MaximumRetryAttempts: -1 });
    assert.deepEqual(age.body, {
      message:
        "2 validation errors detected: Value '-1' at 'maximumRetryAttempts' failed to satisfy constraint: Member must have value greater than or equal to 0; Value '59' at 'maximumEventAgeInSeconds' failed to satisfy constraint: Member must have value greater than or equal to 60",
    });
    const bad = 'arn:aws:_-/!lambda:us-east-1:111111111111:function:demo';
    const pattern = await request(gw.app)
      .put(path('demo'))
      .send({ DestinationConfig: { OnFailure: { Destination: bad } } });
    assert.equal(pattern.status, 400);
    assert.deepEqual(pattern.body, {
      message: String.raw`1 validation error detected: Value '${bad}' at 'destinationConfig.onFailure.destination' failed to satisfy constraint: Member must satisfy regular expression pattern: $|kafka://([^.]([a-zA-Z0-9\-_.]{0,248}))|arn:(aws[a-zA-Z0-9-]*):([a-zA-Z0-9\-])+:((eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1})?:(\d{12})?:(.*)`,
    });
  });

  it('refuses destinations lambdock cannot deliver to, missing functions and the function itself', async () => {
    const gw = await gateway();
    const iam = 'arn:aws:iam:us-east-1:111111111111:function:demo';
    const cases: [unknown, string][] = [
      [
        { OnSuccess: { Destination: iam } },
        `The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=${iam}), onFailure=null) is invalid.`,
      ],
      [
        { OnSuccess: {}, OnFailure: { Destination: 'kafka://broker' } },
        'The provided destination config DestinationConfig(onSuccess=OnSuccess(destination=null), onFailure=OnFailure(destination=kafka://broker)) is invalid.',
      ],
      [
        { OnSuccess: { Destination: arn('doesnotexist') } },
        `The destination ARN ${arn('doesnotexist')} is invalid.`,
      ],
      [
        { OnFailure: { Destination: arn('demo') } },
        "You can't specify the function as a destination for itself.",
      ],
    ];
    for (const [DestinationConfig, message] of cases) {
      const res = await request(gw.app).put(path('demo')).send({ DestinationConfig });
      assert.equal(res.status, 400, message);
      assert.equal(res.headers['x-amzn-errortype'], 'InvalidParameterValueException');
      assert.deepEqual(res.body, { Type: 'User', message });
    }
  });

  it('refuses a qualifier that contradicts the one in the name', async () => {
    const gw = await gateway();
    const res = await request(gw.app)
      .put(path('demo:1', '$LATEST'))
      .send({ MaximumRetryAttempts: 1 });
    assert.equal(res.status, 400);
    assert.deepEqual(res.body, {
      Type: 'User',
      message:
        'The derived qualifier from the function name does not match the specified qualifier.',
    });
  });

  it('drops the configs of a deleted function', async () => {
    const gw = await gateway();
    await request(gw.app).put(path('demo')).send({ MaximumRetryAttempts: 1 }).expect(200);
    await request(gw.app).delete('/2015-03-31/functions/demo').expect(204);
    assert.deepEqual(await gw.async.configs.list('demo'), []);
  });
});
