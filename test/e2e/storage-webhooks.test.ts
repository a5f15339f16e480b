/**
 * Storage webhooks end to end, with recorded notification bodies: AWS and MinIO payloads (and a
 * real Ceph RGW capture) posted to the gateway reach every matching function as AWS's exact S3
 * event; a replay invokes once; a wrong or missing secret (401) and a malformed body (400)
 * invoke nothing; `lambdock_webhook_records_total` counts each record's outcome. The function
 * (node-event-log) logs the event it received; the test reads it back through the logs API.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction } from '../helpers/lambda.js';
import { logMark, recordCounts } from '../helpers/function-events.js';
import { uniqueName } from '../helpers/stack.js';
import {
  AWS_KEY,
  awaitReceived,
  byRequestId,
  call,
  CAPTURES,
  createTrigger,
  createWebhook,
  firstRecord,
  GATEWAY_FIXTURES,
  minioAsAws,
  post,
  readJson,
  rgwAsAws,
  UUID,
  withConfiguration,
  type Auth,
  type Json,
  type S3Record,
} from '../helpers/storage-webhooks.js';
import { useStack } from '../helpers/suite.js';

describe('storage webhooks with recorded payloads', () => {
  const ctx = useStack([RUNTIME_IMAGES.node]);
  const fnA = uniqueName('s3-a');
  const fnB = uniqueName('s3-b');

  before(async () => {
    for (const name of [fnA, fnB]) {
      await createZipFunction(ctx.client, {
        name,
        fixture: 'node-event-log',
        runtime: 'nodejs20.x',
        handler: 'index.handler',
      });
    }
  });

  it('replays AWS and MinIO payloads as the exact S3 event, Bearer or ?token=', async () => {
    const { stack } = ctx;
    const hook = uniqueName('replay');
    const created = await call(stack, 'POST', '/lambdock/v1/webhooks', { Name: hook });
    assert.equal(created.status, 201);
    const secret = String(created.json['Secret']);
    assert.match(secret, /^[A-Za-z0-9_-]{32}$/);
    assert.match(String(created.json['CreatedAt']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(created.json, {
      Name: hook,
      Endpoint: `/lambdock/v1/storage-events/${hook}`,
      Secret: secret,
      ManagedBy: 'api',
      CreatedAt: created.json['CreatedAt'],
    });
    const shown = await call(stack, 'GET', `/lambdock/v1/webhooks/${hook}`);
    assert.equal(shown.json['Secret'], undefined, 'the secret is shown once');
    const trigger = `${hook}-uploads`;
    await createTrigger(stack, {
      Id: trigger,
      Webhook: hook,
      Bucket: 'photos',
      Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
      // Filters apply to the decoded key: `uploads/summer 2024/cat pic+1 (café).jpg`.
      Prefix: 'uploads/summer 2024/',
      Suffix: '.jpg',
      FunctionName: fnA,
    });
    const mark = await logMark(stack, fnA);
    const bodies = ['aws-put.json', 'aws-delete.json', 'minio-put.json', 'minio-delete.json'].map(
      (file) => readJson(GATEWAY_FIXTURES, file),
    );
    for (const [i, body] of bodies.entries()) {
      const auth = i % 2 === 0 ? { bearer: secret } : { token: secret };
      const reply = await post(stack, hook, body, auth);
      assert.deepEqual(reply, { status: 200, json: { Records: 1, Invocations: 1, Duplicates: 0 } });
    }
    const received = await awaitReceived(stack, fnA, mark, 4);
    assert.equal(received.length, 4);
    assert.equal(new Set(received.map((r) => r.requestId)).size, 4);
    for (const { requestId } of received) assert.match(requestId, UUID);
    const [awsPut = {}, awsDelete = {}, minioPut = {}, minioDelete = {}] = bodies.map(firstRecord);
    const expected = [
      withConfiguration(awsPut, trigger),
      withConfiguration(awsDelete, trigger),
      minioAsAws(minioPut, trigger, {
        key: AWS_KEY,
        size: 6,
        eTag: 'b1946ac92492d2347c6235b4d2611184',
        sequencer: '17CF1E4C8B9D2E11',
      }),
      minioAsAws(minioDelete, trigger, { key: AWS_KEY, sequencer: '17CF1E5A0C5B8E40' }),
    ];
    const got = byRequestId(received);
    for (const record of expected) {
      const id = (record as unknown as S3Record).responseElements['x-amz-request-id'];
      const actual = got.get(id);
      assert.deepEqual(actual, record, `the event of ${id}`);
      // AWS's member order too: some consumers hash or diff the raw JSON.
      assert.equal(JSON.stringify(actual), JSON.stringify(record));
    }
    assert.deepEqual(await recordCounts(stack, hook), { invoked: 4 });
  });

  it('invokes a replayed delivery once, sequential or concurrent', async () => {
    const { stack } = ctx;
    const hook = uniqueName('dedupe');
    const secret = await createWebhook(stack, hook);
    await createTrigger(stack, {
      Id: `${hook}-all`,
      Webhook: hook,
      Bucket: 'photos',
      Events: ['s3:*'],
      FunctionName: fnB,
    });
    const mark = await logMark(stack, fnB);
    const put = readJson(CAPTURES, 'rgw-16-put.json');
    const first = await post(stack, hook, put, { token: secret });
    assert.deepEqual(first, { status: 200, json: { Records: 1, Invocations: 1, Duplicates: 0 } });
    const again = await post(stack, hook, put, { token: secret });
    assert.deepEqual(again, { status: 200, json: { Records: 1, Invocations: 0, Duplicates: 1 } });
    // The same event re-posted by a sender that retries before its first try was answered.
    const del = readJson(CAPTURES, 'rgw-16-delete.json');
    const racing = await Promise.all(
      [1, 2, 3].map(async () => post(stack, hook, del, { bearer: secret })),
    );
    for (const reply of racing) {
      assert.equal(reply.status, 200);
      assert.equal(Number(reply.json['Invocations']) + Number(reply.json['Duplicates']), 1);
    }
    // The delivery is claimed atomically: exactly one of the racing posts queued it.
    assert.equal(racing.filter((r) => Number(r.json['Invocations']) === 1).length, 1);
    const received = await awaitReceived(stack, fnB, mark, 2);
    assert.equal(received.length, 2, 'each event invoked the function exactly once');
    const got = byRequestId(received);
    const [putId, delId] = [put, del].map(
      (body) => (firstRecord(body) as unknown as S3Record).responseElements['x-amz-request-id'],
    );
    assert.deepEqual(got.get(putId ?? ''), rgwAsAws(firstRecord(put), `${hook}-all`));
    assert.deepEqual(got.get(delId ?? ''), rgwAsAws(firstRecord(del), `${hook}-all`));
    const counts = await recordCounts(stack, hook);
    assert.equal(counts['invoked'], 2);
    assert.equal(counts['duplicate'], 3);
  });

  it('invokes every trigger a record matches, each with its own configurationId', async () => {
    const { stack } = ctx;
    const hook = uniqueName('fanout');
    const secret = await createWebhook(stack, hook);
    const rules: Json[] = [
      { Id: `${hook}-created`, Events: ['s3:ObjectCreated:*'], FunctionName: fnA },
      { Id: `${hook}-jpg`, Events: ['s3:ObjectCreated:Put'], Suffix: '.jpg', FunctionName: fnB },
      { Id: `${hook}-uploads`, Events: ['s3:*'], Prefix: 'uploads/', FunctionName: fnB },
      { Id: `${hook}-removed`, Events: ['s3:ObjectRemoved:*'], FunctionName: fnA },
      { Id: `${hook}-png`, Events: ['s3:*'], Suffix: '.png', FunctionName: fnA },
      { Id: `${hook}-logs`, Events: ['s3:*'], Prefix: 'logs/', FunctionName: fnB },
      // Matches, but names no function: counted as rejected, the others still run.
      { Id: `${hook}-gone`, Events: ['s3:*'], FunctionName: uniqueName('no-such-function') },
    ];
    for (const rule of rules)
      await createTrigger(stack, { Webhook: hook, Bucket: 'photos', ...rule });
    await createTrigger(stack, {
      Id: `${hook}-other-bucket`,
      Webhook: hook,
      Bucket: 'other',
      Events: ['s3:*'],
      FunctionName: fnA,
    });
    const [markA, markB] = [await logMark(stack, fnA), await logMark(stack, fnB)];
    const put = readJson(GATEWAY_FIXTURES, 'aws-put.json');
    const reply = await post(stack, hook, put, { bearer: secret });
    assert.deepEqual(reply, { status: 200, json: { Records: 1, Invocations: 3, Duplicates: 0 } });
    const replay = await post(stack, hook, put, { bearer: secret });
    assert.deepEqual(replay, { status: 200, json: { Records: 1, Invocations: 0, Duplicates: 3 } });
    const [gotA, gotB] = [
      await awaitReceived(stack, fnA, markA, 1),
      await awaitReceived(stack, fnB, markB, 2),
    ];
    const record = firstRecord(put);
    assert.deepEqual(
      gotA.map((r) => r.event),
      [{ Records: [withConfiguration(record, `${hook}-created`)] }],
    );
    const configurations = gotB.map((r) => r.event.Records[0]?.s3.configurationId).sort();
    assert.deepEqual(configurations, [`${hook}-jpg`, `${hook}-uploads`]);
    for (const got of gotB) {
      const id = got.event.Records[0]?.s3.configurationId ?? '';
      assert.deepEqual(got.event, { Records: [withConfiguration(record, id)] });
    }
    const ids = [...gotA, ...gotB].map((r) => r.requestId);
    assert.equal(new Set(ids).size, 3, 'each trigger has its own request id');
    assert.deepEqual(await recordCounts(stack, hook), { invoked: 3, duplicate: 3, rejected: 2 });
  });

  it('splits a batch into one event per record and counts unmatched records', async () => {
    const { stack } = ctx;
    const hook = uniqueName('batch');
    const secret = await createWebhook(stack, hook);
    await createTrigger(stack, {
      Id: `${hook}-removed`,
      Webhook: hook,
      Bucket: 'photos',
      Events: ['s3:ObjectRemoved:*'],
      FunctionName: fnA,
    });
    const mark = await logMark(stack, fnA);
    const put = firstRecord(readJson(GATEWAY_FIXTURES, 'aws-put.json'));
    const del = firstRecord(readJson(GATEWAY_FIXTURES, 'aws-delete.json'));
    const minioDel = firstRecord(readJson(GATEWAY_FIXTURES, 'minio-delete.json'));
    const reply = await post(stack, hook, { Records: [put, del, minioDel] }, { bearer: secret });
    assert.deepEqual(reply, { status: 200, json: { Records: 3, Invocations: 2, Duplicates: 0 } });
    const got = byRequestId(await awaitReceived(stack, fnA, mark, 2));
    assert.equal(got.size, 2);
    assert.deepEqual(got.get('8F2C4B7A1E9D3056'), withConfiguration(del, `${hook}-removed`));
    assert.equal(got.get('17CF1E5A0C4F3B92')?.s3.object.key, AWS_KEY);
    assert.deepEqual(await recordCounts(stack, hook), { invoked: 2, unmatched: 1 });
  });

  it('answers 401 to a wrong or missing secret and invokes nothing', async () => {
    const { stack } = ctx;
    const hook = uniqueName('auth');
    const secret = await createWebhook(stack, hook);
    const otherSecret = await createWebhook(stack, uniqueName('auth-other'));
    await createTrigger(stack, {
      Id: `${hook}-all`,
      Webhook: hook,
      Bucket: 'photos',
      Events: ['s3:*'],
      FunctionName: fnA,
    });
    const mark = await logMark(stack, fnA);
    const put = readJson(GATEWAY_FIXTURES, 'aws-put.json');
    const refused: [string, Auth][] = [
      ['no secret', {}],
      ['a wrong Bearer', { bearer: `${secret}x` }],
      ['a wrong ?token=', { token: secret.slice(1) }],
      ["another webhook's secret", { bearer: otherSecret }],
      ['the secret as Basic credentials', { header: `Basic ${secret}` }],
    ];
    for (const [what, auth] of refused) {
      const res = await post(stack, hook, put, auth);
      assert.deepEqual(res, { status: 401, json: { message: 'Unauthorized' } }, what);
    }
    const noSuchHook = uniqueName('no-such-hook');
    const unknown = await post(stack, noSuchHook, put, { bearer: secret });
    assert.deepEqual(unknown, { status: 401, json: { message: 'Unauthorized' } });
    // A delivery that gets through after the refused ones: it alone invokes the function.
    const del = readJson(GATEWAY_FIXTURES, 'aws-delete.json');
    const ok = await post(stack, hook, del, { token: secret });
    assert.deepEqual(ok, { status: 200, json: { Records: 1, Invocations: 1, Duplicates: 0 } });
    const received = await awaitReceived(stack, fnA, mark, 1);
    assert.deepEqual(
      received.map((r) => r.event),
      [{ Records: [withConfiguration(firstRecord(del), `${hook}-all`)] }],
    );
    assert.deepEqual(await recordCounts(stack, hook), { rejected: refused.length, invoked: 1 });
    // A caller-chosen name never becomes a label value: each would be a series kept forever.
    assert.deepEqual(await recordCounts(stack, noSuchHook), {});
    assert.deepEqual(await recordCounts(stack, '(unknown)'), { rejected: 1 });
  });

  it('answers 400 to a malformed body and invokes nothing', async () => {
    const { stack } = ctx;
    const hook = uniqueName('malformed');
    const secret = await createWebhook(stack, hook);
    await createTrigger(stack, {
      Id: `${hook}-all`,
      Webhook: hook,
      Bucket: 'photos',
      Events: ['s3:*'],
      FunctionName: fnB,
    });
    const mark = await logMark(stack, fnB);
    const put = firstRecord(readJson(GATEWAY_FIXTURES, 'aws-put.json'));
    const noKey = structuredClone(put) as { s3: { object: Json } };
    delete noKey.s3.object['key'];
    const bodies: [string, string][] = [
      ['not JSON', 'Records'],
      ['cut short', '{"Records":[{"eventName":"ObjectCreated:Put"'],
      ['empty', ''],
      ['an array', JSON.stringify([put])],
      ['no Records', '{}'],
      ['empty Records', '{"Records":[]}'],
      ['Records not an array', JSON.stringify({ Records: put })],
      ['a record that is not an object', JSON.stringify({ Records: [put, 'x'] })],
      ['a record without a key', JSON.stringify({ Records: [put, noKey] })],
      ['101 records', JSON.stringify({ Records: new Array<Json>(101).fill(put) })],
    ];
    for (const [what, body] of bodies) {
      const res = await post(stack, hook, body, { bearer: secret });
      assert.equal(res.status, 400, `${what}: ${JSON.stringify(res.json)}`);
      assert.equal(res.json['Type'], 'User', what);
      assert.equal(typeof res.json['message'], 'string', what);
    }
    const ok = await post(stack, hook, { Records: [put] }, { bearer: secret });
    assert.deepEqual(ok, { status: 200, json: { Records: 1, Invocations: 1, Duplicates: 0 } });
    const received = await awaitReceived(stack, fnB, mark, 1);
    assert.deepEqual(
      received.map((r) => r.event),
      [{ Records: [withConfiguration(put, `${hook}-all`)] }],
    );
    assert.deepEqual(await recordCounts(stack, hook), { rejected: bodies.length, invoked: 1 });
  });
});
