import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { normalizeNotification } from '../../src/storage-events/normalize-notification.js';
import type { AwsS3Record } from '../../src/storage-events/types.js';
import { FIXTURE_DIR, fixtureRecord, readFixture } from './read-fixture.js';

const OPTS = { region: 'us-east-1', receivedAt: new Date('2030-01-01T00:00:00.000Z') };
const DECODED_KEY = 'uploads/summer 2024/cat pic+1 (café).jpg';
const AWS_KEY = 'uploads/summer+2024/cat+pic%2B1+%28caf%C3%A9%29.jpg';
const RGW_DECODED_KEY = 'uploads/cat pic+1 100%é.jpg';
const RGW_AWS_KEY = 'uploads/cat+pic%2B1+100%25%C3%A9.jpg';
const SHA256_KEY = /^sha256:[0-9a-f]{64}$/;

const MINIO_COMMON = {
  eventVersion: '2.1',
  eventSource: 'aws:s3',
  awsRegion: 'us-east-1',
} as const;

function minioRecord(
  eventTime: string,
  eventName: string,
  requestId: string,
  object: AwsS3Record['s3']['object'],
): AwsS3Record {
  return {
    ...MINIO_COMMON,
    eventTime,
    eventName,
    userIdentity: { principalId: 'minioadmin' },
    requestParameters: { sourceIPAddress: '172.18.0.1' },
    responseElements: {
      'x-amz-request-id': requestId,
      'x-amz-id-2': 'dd9025bab4ad464b049177c95eb6ebf374d3b3fd1af9251148b658df7ac2e3e8',
    },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'Config',
      bucket: {
        name: 'photos',
        ownerIdentity: { principalId: 'minioadmin' },
        arn: 'arn:aws:s3:::photos',
      },
      object,
    },
  };
}

function rgwRecord(
  eventTime: string,
  eventName: string,
  requestId: string,
  sequencer: string,
): AwsS3Record {
  return {
    eventVersion: '2.1',
    eventSource: 'aws:s3',
    // RGW sends "" (its zonegroup); the configured region stands in.
    awsRegion: 'us-east-1',
    eventTime,
    eventName,
    userIdentity: { principalId: 'test' },
    // RGW sends ""; AWS never does.
    requestParameters: { sourceIPAddress: '127.0.0.1' },
    responseElements: { 'x-amz-request-id': requestId, 'x-amz-id-2': '100a-default-default' },
    s3: {
      s3SchemaVersion: '1.0',
      configurationId: 'thumbs',
      bucket: {
        name: 'photos',
        ownerIdentity: { principalId: 'test' },
        arn: 'arn:aws:s3:::photos',
      },
      // versionId "" (unversioned bucket) is left out, as AWS does; so are the size and ETag
      // RGW reports for a removed object.
      object: eventName.startsWith('ObjectRemoved:')
        ? { key: RGW_AWS_KEY, sequencer }
        : { key: RGW_AWS_KEY, size: 6, eTag: 'b1946ac92492d2347c6235b4d2611184', sequencer },
    },
  };
}

interface Case {
  fixture: string;
  key: string;
  eventName: string;
  dedupeKey: string | RegExp;
  record: AwsS3Record;
}

const CASES: Case[] = [
  {
    fixture: 'aws-put.json',
    key: DECODED_KEY,
    eventName: 'ObjectCreated:Put',
    dedupeKey: SHA256_KEY,
    // An AWS 2.1 record passes through unchanged.
    record: fixtureRecord('aws-put.json') as unknown as AwsS3Record,
  },
  {
    fixture: 'aws-delete.json',
    key: DECODED_KEY,
    eventName: 'ObjectRemoved:Delete',
    dedupeKey: SHA256_KEY,
    record: fixtureRecord('aws-delete.json') as unknown as AwsS3Record,
  },
  {
    fixture: 'minio-put.json',
    key: DECODED_KEY,
    eventName: 'ObjectCreated:Put',
    dedupeKey: SHA256_KEY,
    record: minioRecord('2024-05-14T09:27:27.436Z', 'ObjectCreated:Put', '17CF1E4C8B8CB7A8', {
      key: AWS_KEY,
      size: 6,
      eTag: 'b1946ac92492d2347c6235b4d2611184',
      sequencer: '17CF1E4C8B9D2E11',
    }),
  },
  {
    fixture: 'minio-delete.json',
    key: DECODED_KEY,
    eventName: 'ObjectRemoved:Delete',
    dedupeKey: SHA256_KEY,
    record: minioRecord('2024-05-14T09:31:02.118Z', 'ObjectRemoved:Delete', '17CF1E5A0C4F3B92', {
      key: AWS_KEY,
      sequencer: '17CF1E5A0C5B8E40',
    }),
  },
  {
    fixture: 'ceph-rgw-put.json',
    key: RGW_DECODED_KEY,
    eventName: 'ObjectCreated:Put',
    dedupeKey: 'eventId:1795444867.738782.b1946ac92492d2347c6235b4d2611184',
    record: rgwRecord(
      '2026-11-23T14:41:07.736Z',
      'ObjectCreated:Put',
      '124c04d3-bff6-4e23-af5e-a50cc227a017.4106.7487824216217083575',
      '8350046BFCEB082C',
    ),
  },
  {
    fixture: 'ceph-rgw-delete.json',
    key: RGW_DECODED_KEY,
    eventName: 'ObjectRemoved:Delete',
    dedupeKey: 'eventId:1795444869.700677.b1946ac92492d2347c6235b4d2611184',
    record: rgwRecord(
      '2026-11-23T14:41:09.700Z',
      'ObjectRemoved:Delete',
      '124c04d3-bff6-4e23-af5e-a50cc227a017.4106.14913127607492027289',
      '8550046BAB7BC329',
    ),
  },
  {
    fixture: 's3rver-put.json',
    key: DECODED_KEY,
    eventName: 'ObjectCreated:Put',
    dedupeKey: SHA256_KEY,
    record: {
      eventVersion: '2.1',
      eventSource: 'aws:s3',
      awsRegion: 'us-east-1',
      eventTime: '2024-05-14T09:27:27.436Z',
      eventName: 'ObjectCreated:Put',
      userIdentity: { principalId: 'AWS:06B58E7A340F810A6B766' },
      requestParameters: { sourceIPAddress: '127.0.0.1' },
      responseElements: {
        'x-amz-request-id': 'C87B7BBE775067FC',
        'x-amz-id-2': 'TTSRmbFGa0eTlmsCy7CWtEYJ6whSvwRgIF65+RYAf1U=',
      },
      s3: {
        s3SchemaVersion: '1.0',
        configurationId: 'testConfigId',
        bucket: {
          name: 'photos',
          ownerIdentity: { principalId: '51CB816FD38E3F' },
          // s3rver sends "arn:aws:s3: : :photos".
          arn: 'arn:aws:s3:::photos',
        },
        // s3rver sends key, sequencer, size, eTag; AWS's order is restored.
        object: {
          key: AWS_KEY,
          size: 6,
          eTag: 'b1946ac92492d2347c6235b4d2611184',
          sequencer: '18F766DA1CD',
        },
      },
    },
  },
];

describe('recorded webhook bodies normalize to the exact AWS record', () => {
  it('covers every fixture file', () => {
    const files = readdirSync(FIXTURE_DIR).filter((name) => name.endsWith('.json'));
    assert.deepEqual(files.sort(), CASES.map((c) => c.fixture).sort());
  });

  for (const c of CASES) {
    it(c.fixture, () => {
      const result = normalizeNotification(readFixture(c.fixture), OPTS);
      assert.ok(result.ok, result.ok ? '' : result.message);
      assert.equal(result.records.length, 1);
      const [normalized] = result.records;
      assert.ok(normalized);
      const { dedupeKey, ...rest } = normalized;
      assert.deepEqual(rest, {
        bucket: 'photos',
        key: c.key,
        eventName: c.eventName,
        record: c.record,
      });
      // deepEqual ignores member order; the serialized form proves AWS's order.
      assert.equal(JSON.stringify(normalized.record), JSON.stringify(c.record));
      if (typeof c.dedupeKey === 'string') assert.equal(dedupeKey, c.dedupeKey);
      else assert.match(dedupeKey, c.dedupeKey);
    });
  }

  it('gives the same logical key from the AWS, MinIO and s3rver encodings', () => {
    const keys = ['aws-put.json', 'minio-put.json', 's3rver-put.json'].map((name) => {
      const result = normalizeNotification(readFixture(name), OPTS);
      assert.ok(result.ok);
      return [result.records[0]?.key, result.records[0]?.record.s3.object.key];
    });
    assert.deepEqual(keys, [
      [DECODED_KEY, AWS_KEY],
      [DECODED_KEY, AWS_KEY],
      [DECODED_KEY, AWS_KEY],
    ]);
  });
});
