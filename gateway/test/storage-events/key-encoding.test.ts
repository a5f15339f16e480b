import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeKey, encodeAwsKey, formDecodeKey } from '../../src/storage-events/key-encoding.js';
import { normalizeNotification } from '../../src/storage-events/normalize-notification.js';
import { fixtureRecord } from './read-fixture.js';

/** Real keys and how AWS writes each in `s3.object.key`. */
const AWS_ENCODINGS: [key: string, aws: string][] = [
  ['uploads/cat pic.jpg', 'uploads/cat+pic.jpg'],
  ['a+b.txt', 'a%2Bb.txt'],
  ['100%.txt', '100%25.txt'],
  ['a%2Fb', 'a%252Fb'],
  ['dir//double/', 'dir//double/'],
  ['/leading', '/leading'],
  ['keep-these_.*', 'keep-these_.*'],
  ["(1) copy's ~!.txt", '%281%29+copy%27s+%7E%21.txt'],
  ['year=2024/a&b;c:d,e@f$g?h#i', 'year%3D2024/a%26b%3Bc%3Ad%2Ce%40f%24g%3Fh%23i'],
  [
    'naïve/日本語 ファイル.txt',
    'na%C3%AFve/%E6%97%A5%E6%9C%AC%E8%AA%9E+%E3%83%95%E3%82%A1%E3%82%A4%E3%83%AB.txt',
  ],
  ['emoji 😀.png', 'emoji+%F0%9F%98%80.png'],
  ['tab\there', 'tab%09here'],
];

/** Go's url.QueryEscape, which MinIO applies to the whole key (so `/` becomes `%2F`). */
function goQueryEscape(key: string): string {
  return encodeURIComponent(key)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

function normalizedKeys(record: Record<string, unknown>): [string, string] {
  const result = normalizeNotification({ Records: [record] }, { region: 'us-east-1' });
  assert.ok(result.ok, result.ok ? '' : result.message);
  const [first] = result.records;
  assert.ok(first);
  return [first.key, first.record.s3.object.key];
}

function withKey(fixture: string, key: string): Record<string, unknown> {
  const record = structuredClone(fixtureRecord(fixture));
  const s3 = record['s3'] as { object: { key: string } };
  s3.object.key = key;
  return record;
}

describe('encodeAwsKey', () => {
  for (const [key, aws] of AWS_ENCODINGS) {
    it(`writes ${JSON.stringify(key)} as ${aws}`, () => {
      assert.equal(encodeAwsKey(key), aws);
      assert.equal(formDecodeKey(aws), key);
    });
  }

  it('encodes a lone surrogate as U+FFFD instead of throwing', () => {
    assert.equal(encodeAwsKey('a\uD800b'), 'a%EF%BF%BDb');
  });
});

describe('formDecodeKey', () => {
  it('reads + as a space and %2B as a plus', () => {
    assert.equal(formDecodeKey('cat+pic%2B1.jpg'), 'cat pic+1.jpg');
  });

  it('reads %2F as a slash (MinIO)', () => {
    assert.equal(formDecodeKey('uploads%2Fa.jpg'), 'uploads/a.jpg');
  });

  for (const raw of ['100%.txt', 'bad%zz+name', 'half%E9.txt', 'trailing%2']) {
    it(`keeps ${JSON.stringify(raw)} raw (malformed escape)`, () => {
      assert.equal(formDecodeKey(raw), raw);
    });
  }

  it('decodeKey leaves a raw key alone', () => {
    assert.equal(decodeKey('cat+pic%2B1 x.jpg', 'raw'), 'cat+pic%2B1 x.jpg');
    assert.equal(decodeKey('cat+pic%2B1+x.jpg', 'form'), 'cat pic+1 x.jpg');
  });
});

describe('keys through each dialect', () => {
  for (const [key, aws] of AWS_ENCODINGS) {
    it(`AWS sends ${aws}`, () => {
      assert.deepEqual(normalizedKeys(withKey('aws-put.json', aws)), [key, aws]);
    });
    it(`MinIO sends ${goQueryEscape(key)}`, () => {
      assert.deepEqual(normalizedKeys(withKey('minio-put.json', goQueryEscape(key))), [key, aws]);
    });
    it(`Ceph RGW sends ${JSON.stringify(key)} raw`, () => {
      assert.deepEqual(normalizedKeys(withKey('ceph-rgw-put.json', key)), [key, aws]);
    });
    it(`s3rver sends ${JSON.stringify(key)} raw`, () => {
      assert.deepEqual(normalizedKeys(withKey('s3rver-put.json', key)), [key, aws]);
    });
  }

  it('tells s3rver from AWS by its bucket ARN: the same "+" is a space only for AWS', () => {
    assert.deepEqual(normalizedKeys(withKey('aws-put.json', 'a+b')), ['a b', 'a+b']);
    assert.deepEqual(normalizedKeys(withKey('s3rver-put.json', 'a+b')), ['a+b', 'a%2Bb']);
  });

  it('reads a sender it does not know as AWS-encoded', () => {
    const record = withKey('aws-put.json', 'cat+pic%2B1.jpg');
    record['eventSource'] = 'garage:s3';
    assert.deepEqual(normalizedKeys(record), ['cat pic+1.jpg', 'cat+pic%2B1.jpg']);
  });

  it('keeps a key that a form-encoding sender failed to encode', () => {
    assert.deepEqual(normalizedKeys(withKey('minio-put.json', '50% off+more.txt')), [
      '50% off+more.txt',
      '50%25+off%2Bmore.txt',
    ]);
  });
});
