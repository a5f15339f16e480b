import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toS3Event } from '../../src/storage-events/aws-record.js';
import {
  MAX_RECORDS_PER_NOTIFICATION,
  normalizeNotification,
  type NormalizeResult,
} from '../../src/storage-events/normalize-notification.js';
import type { AwsS3Object, AwsS3Record } from '../../src/storage-events/types.js';
import { fixtureRecord } from './read-fixture.js';

const RECEIVED_AT = new Date('2030-01-02T03:04:05.678Z');
const OPTS = { region: 'eu-central-1', receivedAt: RECEIVED_AT };

function minimal(key = 'k.txt'): Record<string, unknown> {
  return { eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'b' }, object: { key } } };
}

function only(result: NormalizeResult): AwsS3Record {
  assert.ok(result.ok, result.ok ? '' : result.message);
  assert.equal(result.records.length, 1);
  const [first] = result.records;
  assert.ok(first);
  return first.record;
}

function withMembers(patch: (record: Record<string, unknown>) => void): AwsS3Record {
  const record = structuredClone(fixtureRecord('aws-put.json'));
  patch(record);
  return only(normalizeNotification({ Records: [record] }, OPTS));
}

const BODY_MESSAGE = 'The body must be a JSON object with a non-empty Records array.';

describe('normalizeNotification refuses what it cannot read', () => {
  const cases: [name: string, body: unknown, message: string][] = [
    ['null', null, BODY_MESSAGE],
    ['an array', [minimal()], BODY_MESSAGE],
    ['a string', '{"Records":[]}', BODY_MESSAGE],
    ['no Records', { EventName: 's3:ObjectCreated:Put', Key: 'b/k' }, BODY_MESSAGE],
    ['Records not an array', { Records: minimal() }, BODY_MESSAGE],
    ['empty Records', { Records: [] }, BODY_MESSAGE],
    ['a record that is not an object', { Records: ['x'] }, 'Records[0] is not an object.'],
    [
      'no bucket name',
      { Records: [{ eventName: 'ObjectCreated:Put', s3: { object: { key: 'k' } } }] },
      'Records[0].s3.bucket.name is missing or not a non-empty string.',
    ],
    [
      'an empty key',
      { Records: [minimal('')] },
      'Records[0].s3.object.key is missing or not a non-empty string.',
    ],
    [
      'a numeric key',
      { Records: [{ ...minimal(), s3: { bucket: { name: 'b' }, object: { key: 7 } } }] },
      'Records[0].s3.object.key is missing or not a non-empty string.',
    ],
    [
      'no eventName',
      { Records: [{ s3: { bucket: { name: 'b' }, object: { key: 'k' } } }] },
      'Records[0].eventName is missing or not a non-empty string.',
    ],
    [
      'an eventName that is only the prefix',
      { Records: [{ ...minimal(), eventName: 's3:' }] },
      'Records[0].eventName is missing or not a non-empty string.',
    ],
    [
      'one bad record after good ones',
      { Records: [minimal(), minimal(), { ...minimal(), eventName: 5 }] },
      'Records[2].eventName is missing or not a non-empty string.',
    ],
    [
      'too many records',
      { Records: Array.from({ length: MAX_RECORDS_PER_NOTIFICATION + 1 }, () => minimal()) },
      'The body holds 101 records; at most 100 are accepted per request.',
    ],
  ];
  for (const [name, body, message] of cases) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(normalizeNotification(body, OPTS), { ok: false, message });
    });
  }
});

describe('normalizeNotification accepts', () => {
  it('100 records, in order', () => {
    const body = { Records: Array.from({ length: 100 }, (_, i) => minimal(`k${i}`)) };
    const result = normalizeNotification(body, OPTS);
    assert.ok(result.ok);
    assert.deepEqual(
      result.records.map((r) => r.key),
      body.Records.map((_, i) => `k${i}`),
    );
  });

  it('unknown top-level members next to Records', () => {
    const body = {
      EventName: 's3:ObjectCreated:Put',
      Key: 'b/k.txt',
      Extra: 1,
      Records: [minimal()],
    };
    assert.equal(only(normalizeNotification(body, OPTS)).s3.object.key, 'k.txt');
  });

  it('a bare record and fills what AWS always sends with stand-ins', () => {
    const record = only(normalizeNotification({ Records: [minimal('a b.txt')] }, OPTS));
    const requestId = record.responseElements['x-amz-request-id'];
    const hostId = record.responseElements['x-amz-id-2'];
    assert.match(requestId, /^[0-9A-F]{16}$/);
    assert.match(hostId, /^[A-Za-z0-9+/]{43}=$/);
    const expected: AwsS3Record = {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'eu-central-1',
      eventTime: '2030-01-02T03:04:05.678Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'anonymous' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'lambdock-webhook',
        bucket: { name: 'b', ownerIdentity: { principalId: 'anonymous' }, arn: 'arn:aws:s3:::b' },
        // The receive time in milliseconds, as upper-case hex.
        object: { key: 'a+b.txt', sequencer: '000001B8E0949B2E' },
      },
    };
    assert.deepEqual(record, expected);
    assert.equal(JSON.stringify(record), JSON.stringify(expected));
  });

  it('the same stand-in request id for every delivery of one event', () => {
    const later = { region: 'eu-central-1', receivedAt: new Date('2031-01-01T00:00:00Z') };
    const first = only(normalizeNotification({ Records: [minimal()] }, OPTS));
    const again = only(normalizeNotification({ Records: [minimal()] }, later));
    const other = only(normalizeNotification({ Records: [minimal('other.txt')] }, OPTS));
    assert.deepEqual(first.responseElements, again.responseElements);
    assert.notEqual(
      first.responseElements['x-amz-request-id'],
      other.responseElements['x-amz-request-id'],
    );
  });
});

describe('AwsS3Record members', () => {
  const times: [sent: unknown, expected: string][] = [
    ['2026-11-23T14:41:07.736772Z', '2026-11-23T14:41:07.736Z'],
    ['2018-10-26T11:18:32Z', '2018-10-26T11:18:32.000Z'],
    ['2024-05-14T11:27:27.4+02:00', '2024-05-14T09:27:27.400Z'],
    ['', RECEIVED_AT.toISOString()],
    ['yesterday', RECEIVED_AT.toISOString()],
    ['2024-13-45T99:00:00Z', RECEIVED_AT.toISOString()],
    [1715678847, RECEIVED_AT.toISOString()],
  ];
  for (const [sent, expected] of times) {
    it(`eventTime ${JSON.stringify(sent)} becomes ${expected}`, () => {
      const record = withMembers((r) => (r['eventTime'] = sent));
      assert.equal(record.eventTime, expected);
    });
  }

  it('keeps a sender region and uses the configured one for ""', () => {
    assert.equal(withMembers(() => undefined).awsRegion, 'eu-west-1');
    assert.equal(withMembers((r) => (r['awsRegion'] = '')).awsRegion, 'eu-central-1');
  });

  it('always reports event version 2.1 and source aws:s3', () => {
    const record = withMembers((r) => {
      r['eventVersion'] = '2.3';
      r['eventSource'] = 'minio:s3';
    });
    assert.equal(record.eventVersion, '2.1');
    assert.equal(record.eventSource, 'aws:s3');
  });

  it('strips ETag quotes, drops unreadable sizes and empty version ids', () => {
    const object = (patch: Record<string, unknown>) =>
      withMembers((r) => Object.assign((r['s3'] as { object: object }).object, patch)).s3.object;
    assert.equal(object({ eTag: '"abc"' }).eTag, 'abc');
    assert.equal(object({ eTag: '""' }).eTag, undefined);
    assert.equal(object({ size: '6' }).size, undefined);
    assert.equal(object({ size: -1 }).size, undefined);
    assert.equal(object({ size: 0 }).size, 0);
    assert.equal(object({ versionId: '' }).versionId, undefined);
  });

  it('leaves out the size and ETag of a removed object, as AWS does', () => {
    const object = (eventName: string) =>
      withMembers((r) => (r['eventName'] = eventName)).s3.object;
    const { size, eTag } = (fixtureRecord('aws-put.json')['s3'] as { object: AwsS3Object }).object;
    const cases: [eventName: string, expected: Partial<AwsS3Object>][] = [
      ['ObjectCreated:Put', { size, eTag }],
      ['ObjectCreated:Copy', { size, eTag }],
      ['ObjectRemoved:Delete', {}],
      ['ObjectRemoved:DeleteMarkerCreated', {}],
    ];
    for (const [eventName, expected] of cases) {
      const got = object(eventName);
      assert.deepEqual(
        { size: got.size, eTag: got.eTag },
        { size: undefined, eTag: undefined, ...expected },
        eventName,
      );
    }
  });

  it('takes the bucket owner from the user when the sender names no owner', () => {
    const record = withMembers((r) => {
      (r['s3'] as { bucket: Record<string, unknown> }).bucket['ownerIdentity'] = {};
    });
    assert.deepEqual(record.s3.bucket.ownerIdentity, { principalId: 'AWS:AIDAJDPLRKLG7UEXAMPLE' });
  });
});

describe('toS3Event', () => {
  const records = (() => {
    const result = normalizeNotification({ Records: [minimal('a'), minimal('b')] }, OPTS);
    assert.ok(result.ok);
    return result.records.map((r) => r.record);
  })();

  it('wraps the records as {Records:[…]} copies', () => {
    const event = toS3Event(records);
    assert.deepEqual(event, { Records: records });
    assert.notEqual(event.Records[0], records[0]);
    const first = event.Records[0];
    assert.ok(first);
    first.s3.object.key = 'changed';
    assert.equal(records[0]?.s3.object.key, 'a');
  });

  it('sets the matching rule as configurationId and keeps AWS member order', () => {
    const event = toS3Event(records, { configurationId: 'rule-7' });
    assert.deepEqual(
      event.Records.map((r) => r.s3.configurationId),
      ['rule-7', 'rule-7'],
    );
    assert.equal(records[0]?.s3.configurationId, 'lambdock-webhook');
    assert.deepEqual(Object.keys(event.Records[0]?.s3 ?? {}), [
      's3SchemaVersion',
      'configurationId',
      'bucket',
      'object',
    ]);
  });
});
