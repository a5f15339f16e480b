/**
 * A real Ceph RADOS Gateway as the storage peer: a bucket notification pushes to a lambdock
 * webhook (secret in `?token=`, as RGW cannot send headers). Uploads, a copy and deletes of keys
 * with spaces, slashes and unicode invoke the matching function with AWS's exact S3 event; keys
 * the trigger does not match, and deliveries with a wrong secret, invoke nothing. The function
 * (node-event-log) logs the event it received; the test reads it back through the logs API.
 * Without Ceph the suite fails with the command that installs it.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import * as rgwPeer from '../helpers/ceph-rgw.js';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction } from '../helpers/lambda.js';
import { uniqueName, type Stack } from '../helpers/stack.js';
import { awaitReceived as awaitEvents, logMark, recordCounts } from '../helpers/function-events.js';
import { useStack } from '../helpers/suite.js';

const INSTALL =
  'The Ceph RGW suite needs Ceph (radosgw, ceph-mon, ceph-osd, ceph-common) and the Debian AWS ' +
  'CLI at /usr/bin/aws, and they were not found.\n' +
  'Fix: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common awscli';
/** node-event-log logs this, then the event as one line of JSON. */
const WAIT_MS = 30_000;
/** The RGW user the helper creates; RGW reports it as the principal and the bucket owner. */
const RGW_USER = 'lambdock';
/** Raw key → the key as AWS writes it in `s3.object.key`. */
const KEYS: readonly (readonly [string, string])[] = [
  ['uploads/cat pic.jpg', 'uploads/cat+pic.jpg'],
  ['uploads/2024/05/14/deep/report.csv', 'uploads/2024/05/14/deep/report.csv'],
  [
    'uploads/café ünïcode/日本語 😀.txt',
    'uploads/caf%C3%A9+%C3%BCn%C3%AFcode/%E6%97%A5%E6%9C%AC%E8%AA%9E+%F0%9F%98%80.txt',
  ],
  ['uploads/a+b 100% (x).txt', 'uploads/a%2Bb+100%25+%28x%29.txt'],
];

/** A copy of one of them, and its AWS encoding. */
const COPY_SOURCE = 'uploads/cat pic.jpg';
const COPY = ['uploads/copies/cat pic (1).jpg', 'uploads/copies/cat+pic+%281%29.jpg'] as const;

type Json = Record<string, unknown>;

const bodyOf = (key: string): Buffer => Buffer.from(`body of ${key}\n`);

/** An S3 operation and the event it should cause; `body` for objects created. */
interface Operation {
  eventName: string;
  awsKey: string;
  body?: Buffer;
}
interface S3Record {
  eventName: string;
  eventTime: string;
  responseElements: Record<string, string>;
  s3: { object: { key: string; sequencer: string } };
}

async function call(stack: Stack, path: string, body: Json): Promise<Json> {
  const res = await fetch(`${stack.endpoint}${path}`, {
    method: 'POST',
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as Json;
  assert.equal(res.status, 201, JSON.stringify(json));
  return json;
}

/** The records `fn` received after `mark` (one per invocation), once `count` arrived. */
async function awaitReceived(
  stack: Stack,
  fn: string,
  mark: string | undefined,
  count: number,
): Promise<S3Record[]> {
  const received = await awaitEvents<{ Records: S3Record[] }>(stack, fn, mark, count, WAIT_MS);
  return received.flatMap(({ event }) => {
    assert.equal(event.Records.length, 1, 'one record per invocation');
    return event.Records;
  });
}

/**
 * Check the fields that differ per event by shape, then the whole record. `expected` holds
 * placeholders for them, so its members are in AWS's order.
 */
function expectRecord(actual: S3Record, since: number, expected: Json): void {
  const { eventTime, responseElements, s3 } = actual;
  assert.match(eventTime, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  const at = Date.parse(eventTime);
  assert.ok(at >= since - 1000 && at <= Date.now(), `eventTime ${eventTime} is during the test`);
  assert.match(responseElements['x-amz-request-id'] ?? '', /^[0-9a-f-]{36}\.\d+\.\d+$/);
  assert.match(responseElements['x-amz-id-2'] ?? '', /^[0-9a-f]+-default-default$/);
  assert.match(s3.object.sequencer, /^[0-9A-F]{16}$/);
  const whole = structuredClone(expected) as { s3: { object: Json } } & Json;
  Object.assign(whole, { eventTime, responseElements });
  whole.s3.object['sequencer'] = s3.object.sequencer;
  assert.deepEqual(actual, whole);
  // AWS's member order too: some consumers hash or diff the raw JSON.
  assert.equal(JSON.stringify(actual), JSON.stringify(whole));
}

/**
 * The record AWS would deliver for `op`, with placeholders for the values that differ per event.
 * AWS reports neither size nor ETag for a removal.
 */
function awsRecord(bucket: string, configurationId: string, op: Operation): Json {
  const sized =
    op.body === undefined
      ? {}
      : { size: op.body.length, eTag: createHash('md5').update(op.body).digest('hex') };
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    awsRegion: 'us-east-1',
    eventTime: '',
    eventName: op.eventName,
    userIdentity: { principalId: RGW_USER },
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: {},
    s3: {
      s3SchemaVersion: '1.0',
      configurationId,
      bucket: {
        name: bucket,
        ownerIdentity: { principalId: RGW_USER },
        arn: `arn:aws:s3:::${bucket}`,
      },
      object: { key: op.awsKey, ...sized, sequencer: '' },
    },
  };
}

describe('Ceph RGW bucket notifications invoke functions', () => {
  before(() => {
    if (!rgwPeer.cephAvailable()) throw new Error(INSTALL);
  });
  const ctx = useStack([RUNTIME_IMAGES.node]);
  const fn = uniqueName('rgw');
  const hook = uniqueName('rgw');
  const trigger = `${hook}-uploads`;
  const bucket = `photos-${randomBytes(4).toString('hex')}`;
  let rgw: rgwPeer.CephRgw | undefined;
  let secret = '';

  before(async () => {
    rgw = await rgwPeer.startCephRgw();
    const { stack } = ctx;
    await createZipFunction(ctx.client, {
      name: fn,
      fixture: 'node-event-log',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    secret = String((await call(stack, '/lambdock/v1/webhooks', { Name: hook }))['Secret']);
    await call(stack, '/lambdock/v1/storage-triggers', {
      Id: trigger,
      Webhook: hook,
      Bucket: bucket,
      Events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
      Prefix: 'uploads/',
      FunctionName: fn,
    });
    await rgwPeer.createBucket(rgw, bucket);
    // RGW sends every record of the bucket; lambdock's trigger decides what matches.
    await rgwPeer.notifyWebhook(rgw, {
      bucket,
      topic: hook,
      pushEndpoint: `${stack.endpoint}/lambdock/v1/storage-events/${hook}?token=${secret}`,
      events: ['s3:ObjectCreated:*', 's3:ObjectRemoved:*'],
      id: 'rgw-to-lambdock',
    });
  });

  after(async () => {
    await rgw?.stop();
  });

  function peer(): rgwPeer.CephRgw {
    assert.ok(rgw, 'Ceph RGW is running');
    return rgw;
  }

  it('uploads, copies and deletes invoke the function with the exact S3 event', async () => {
    const { stack } = ctx;
    const since = Date.now();
    const mark = await logMark(stack, fn);
    const expected: Operation[] = [];
    for (const [key, awsKey] of KEYS) {
      const body = bodyOf(key);
      await rgwPeer.putObject(peer(), bucket, key, body);
      expected.push({ eventName: 'ObjectCreated:Put', awsKey, body });
    }
    await rgwPeer.s3cli(peer(), [
      ...['s3api', 'copy-object', '--bucket', bucket, '--key', COPY[0]],
      ...['--copy-source', `${bucket}/${COPY_SOURCE}`],
    ]);
    expected.push({ eventName: 'ObjectCreated:Copy', awsKey: COPY[1], body: bodyOf(COPY_SOURCE) });
    for (const [key, awsKey] of [...KEYS, COPY]) {
      await rgwPeer.deleteObject(peer(), bucket, key);
      expected.push({ eventName: 'ObjectRemoved:Delete', awsKey });
    }
    const received = await awaitReceived(stack, fn, mark, expected.length);
    const seen = received.map((r) => `${r.eventName} ${r.s3.object.key}`).join(', ');
    assert.equal(received.length, expected.length, `one invocation per operation; got ${seen}`);
    for (const op of expected) {
      const found = received.filter(
        (r) => r.eventName === op.eventName && r.s3.object.key === op.awsKey,
      );
      assert.equal(found.length, 1, `${op.eventName} ${op.awsKey}: once, in AWS's key encoding`);
      expectRecord(found[0] as S3Record, since, awsRecord(bucket, trigger, op));
    }
    assert.deepEqual(await recordCounts(stack, hook), { invoked: expected.length });
  });

  it('keys outside the prefix and deliveries with a wrong secret invoke nothing', async () => {
    const { stack } = ctx;
    const mark = await logMark(stack, fn);
    const counted = await recordCounts(stack, hook);
    await rgwPeer.putObject(peer(), bucket, 'other/cat pic.jpg', 'x');
    await rgwPeer.putObject(peer(), bucket, 'uploads.jpg', 'x');
    // A second bucket whose notification carries a wrong secret; the trigger would match.
    const forged = `${bucket}-forged`;
    await call(stack, '/lambdock/v1/storage-triggers', {
      Webhook: hook,
      Bucket: forged,
      Events: ['s3:ObjectCreated:*'],
      FunctionName: fn,
    });
    await rgwPeer.createBucket(peer(), forged);
    await rgwPeer.notifyWebhook(peer(), {
      bucket: forged,
      topic: `${hook}-forged`,
      pushEndpoint: `${stack.endpoint}/lambdock/v1/storage-events/${hook}?token=${secret}x`,
      events: ['s3:ObjectCreated:*'],
      id: 'forged',
    });
    await rgwPeer.putObject(peer(), forged, 'uploads/cat pic.jpg', 'x');
    // The one matching upload, after the others: it alone invokes the function.
    await rgwPeer.putObject(peer(), bucket, 'uploads/last.txt', 'x');
    const received = await awaitReceived(stack, fn, mark, 1);
    assert.deepEqual(
      received.map((r) => [r.eventName, r.s3.object.key]),
      [['ObjectCreated:Put', 'uploads/last.txt']],
    );
    const now = await recordCounts(stack, hook);
    const delta = (result: string) => (now[result] ?? 0) - (counted[result] ?? 0);
    assert.deepEqual(
      { invoked: delta('invoked'), unmatched: delta('unmatched'), rejected: delta('rejected') },
      { invoked: 1, unmatched: 2, rejected: 1 },
      'RGW delivered every record; lambdock invoked only the matching, authorized one',
    );
  });
});
