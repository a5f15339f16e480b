import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import {
  activeRecord,
  createTestGateway,
  publishWithAlias,
  reply,
  seed,
  ACCOUNT,
  REGION,
} from './helpers/test-app.js';

const URL_PATH = (name: string): string => `/2021-10-31/functions/${name}/url`;

/** A GET whose body stays text: a function URL labels its plain answers application/json. */
const getText = (app: Parameters<typeof request>[0], path: string) =>
  request(app)
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => done(null, text));
    });

describe('function URL configuration', () => {
  it('creates a stable URL per function, and DeleteFunction removes it', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('web'));
    const created = await request(gw.app).post(URL_PATH('web')).send({ AuthType: 'NONE' });
    assert.equal(created.status, 201);
    assert.deepEqual(Object.keys(created.body as object).sort(), [
      'AuthType',
      'CreationTime',
      'FunctionArn',
      'FunctionUrl',
    ]);
    const body = created.body as { FunctionUrl: string; FunctionArn: string };
    assert.match(body.FunctionUrl, /^http:\/\/127\.0\.0\.1:8080\/lambda-url\/[a-z2-7]{32}\/$/);
    assert.equal(body.FunctionArn, `arn:aws:lambda:${REGION}:${ACCOUNT}:function:web`);

    const again = await request(gw.app).post(URL_PATH('web')).send({ AuthType: 'NONE' });
    assert.equal(again.status, 409);
    assert.equal(
      (again.body as { message: string }).message,
      `Failed to create function url config for [functionArn = arn:aws:lambda:${REGION}:${ACCOUNT}:function:web]. Error message:  FunctionUrlConfig exists for this Lambda function`,
    );

    assert.equal((await request(gw.app).delete('/2015-03-31/functions/web')).status, 204);
    assert.deepEqual(await gw.sources.stores.urls.list(), []);
    await seed(gw, activeRecord('web'));
    const recreated = await request(gw.app).post(URL_PATH('web')).send({ AuthType: 'NONE' });
    assert.equal((recreated.body as { FunctionUrl: string }).FunctionUrl, body.FunctionUrl);
  });

  it('answers AWS errors for a missing function, $LATEST, a version and bad enums', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('web'));
    const missing = await request(gw.app).post(URL_PATH('nope')).send({ AuthType: 'NONE' });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { Type: 'User', Message: 'Function does not exist' });
    const get = await request(gw.app).get(URL_PATH('web'));
    assert.equal(get.status, 404);
    assert.equal(
      (get.body as { Message: string }).Message,
      'The resource you requested does not exist.',
    );
    for (const q of ['$LATEST', '1']) {
      const bad = await request(gw.app).get(
        `${URL_PATH('web')}?Qualifier=${encodeURIComponent(q)}`,
      );
      assert.equal(bad.status, 400);
      assert.equal(
        (bad.body as { message: string }).message,
        `1 validation error detected: Value '${q}' at 'qualifier' failed to satisfy constraint: Member must satisfy regular expression pattern: ((?!^\\d+$)^[0-9a-zA-Z-_]+$)`,
      );
    }
    const mode = await request(gw.app)
      .post(URL_PATH('web'))
      .send({ AuthType: 'NONE', InvokeMode: 'UNKNOWN' });
    assert.equal(
      (mode.body as { message: string }).message,
      "1 validation error detected: Value 'UNKNOWN' at 'invokeMode' failed to satisfy constraint: Member must satisfy enum value set: [RESPONSE_STREAM, BUFFERED]",
    );
  });

  it('keeps an alias’s URL after DeleteAlias: 403 Forbidden until the alias is back', async () => {
    const gw = createTestGateway();
    await seed(gw, activeRecord('web'));
    const live = await publishWithAlias(gw, 'web');
    gw.queue.worker = (job) => reply({ requestId: job.requestId, executedVersion: '1' }, '"ok"');
    const created = await request(gw.app)
      .post(`${URL_PATH('web')}?Qualifier=live`)
      .send({ AuthType: 'NONE' })
      .expect(201);
    const { FunctionUrl } = created.body as { FunctionUrl: string };
    const urlPath = new URL(FunctionUrl).pathname;
    const ok = await getText(gw.app, urlPath);
    assert.equal(ok.status, 200);
    assert.equal(ok.body, 'ok');

    await request(gw.app).delete('/2015-03-31/functions/web/aliases/live').expect(204);
    const gone = await getText(gw.app, urlPath);
    assert.equal(gone.status, 403);
    assert.equal(gone.headers['x-amzn-errortype'], 'AccessDeniedException');
    assert.deepEqual(JSON.parse(gone.body as string), {
      Message:
        'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
    });
    assert.equal(gw.queue.sync.length, 1);
    const config = await request(gw.app)
      .get(`${URL_PATH('web')}?Qualifier=live`)
      .expect(200);
    assert.equal((config.body as { FunctionUrl: string }).FunctionUrl, FunctionUrl);

    await gw.versions.createAlias(live);
    const back = await getText(gw.app, urlPath);
    assert.equal(back.status, 200);
    assert.equal(back.body, 'ok');
  });
});
