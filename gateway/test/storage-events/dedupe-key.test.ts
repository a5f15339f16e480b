import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dedupeKey } from '../../src/storage-events/dedupe-key.js';
import { normalizeNotification } from '../../src/storage-events/normalize-notification.js';
import { fixtureRecord, readFixture } from './read-fixture.js';

function keyOf(body: unknown, receivedAt = new Date('2030-01-01T00:00:00Z')): string {
  const result = normalizeNotification(body, { region: 'us-east-1', receivedAt });
  assert.ok(result.ok, result.ok ? '' : result.message);
  const [first] = result.records;
  assert.ok(first);
  return first.dedupeKey;
}

/** The members these tests change. */
interface SentRecord {
  eventName: string;
  eventTime: string;
  opaqueData?: string;
  responseElements: Record<string, string>;
  s3: { bucket: { name: string }; object: { key: string; versionId?: string; sequencer: string } };
}

/** A fixture's first record with some members changed. */
function variant(fixture: string, patch: (record: SentRecord) => void): unknown {
  const record = structuredClone(fixtureRecord(fixture)) as unknown as SentRecord;
  patch(record);
  return { Records: [record] };
}

const FIXTURES = [
  'aws-put.json',
  'aws-delete.json',
  'minio-put.json',
  'minio-delete.json',
  'ceph-rgw-put.json',
  'ceph-rgw-delete.json',
  's3rver-put.json',
];

describe('dedupe keys', () => {
  for (const fixture of FIXTURES) {
    it(`are equal for a replay of ${fixture}, received later`, () => {
      assert.equal(
        keyOf(readFixture(fixture)),
        keyOf(readFixture(fixture), new Date('2031-06-01T00:00:00Z')),
      );
    });
  }

  it('are different for every recorded event', () => {
    const keys = FIXTURES.map((fixture) => keyOf(readFixture(fixture)));
    assert.equal(new Set(keys).size, FIXTURES.length);
  });

  it("use RGW's eventId, whatever else the retry carries", () => {
    const retry = variant('ceph-rgw-put.json', (r) => {
      r.eventTime = '2026-11-23T14:41:10.000000Z';
      r.opaqueData = 'changed';
    });
    const expected = 'eventId:1795444867.738782.b1946ac92492d2347c6235b4d2611184';
    assert.equal(keyOf(readFixture('ceph-rgw-put.json')), expected);
    assert.equal(keyOf(retry), expected);
  });

  it('do not depend on how the sender encoded the key', () => {
    const encoded = variant('aws-put.json', (r) => (r.s3.object.key = 'a+b%2Fc'));
    const decodedEquivalent = variant('aws-put.json', (r) => (r.s3.object.key = 'a%20b/c'));
    assert.equal(keyOf(encoded), keyOf(decodedEquivalent));
  });

  const changes: [name: string, patch: (record: SentRecord) => void][] = [
    ['another bucket', (r) => (r.s3.bucket.name = 'photos-2')],
    ['another key', (r) => (r.s3.object.key = 'other.jpg')],
    ['another event name', (r) => (r.eventName = 'ObjectCreated:Copy')],
    ['another version', (r) => (r.s3.object.versionId = 'v2')],
    ['no version', (r) => delete r.s3.object.versionId],
    [
      'another sequencer (a second write of the key)',
      (r) => (r.s3.object.sequencer = '0055AED6DCD90281E6'),
    ],
    ['another request id', (r) => (r.responseElements['x-amz-request-id'] = 'C3D13FE58DE4C811')],
  ];
  for (const [name, patch] of changes) {
    it(`differ for ${name}`, () => {
      assert.notEqual(keyOf(variant('aws-put.json', patch)), keyOf(readFixture('aws-put.json')));
    });
  }

  it('are the same for an event name with or without the s3: prefix', () => {
    const prefixed = variant('aws-put.json', (r) => (r.eventName = 's3:ObjectCreated:Put'));
    assert.equal(keyOf(prefixed), keyOf(readFixture('aws-put.json')));
  });

  it('keep field boundaries apart', () => {
    const base = { eventName: 'ObjectCreated:Put', sequencer: '01' };
    assert.notEqual(
      dedupeKey({ ...base, bucket: 'ab', key: 'c' }),
      dedupeKey({ ...base, bucket: 'a', key: 'bc' }),
    );
    assert.match(dedupeKey({ ...base, bucket: 'a', key: 'b' }), /^sha256:[0-9a-f]{64}$/);
  });
});
