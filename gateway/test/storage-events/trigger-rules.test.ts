import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { normalizeNotification } from '../../src/storage-events/normalize-notification.js';
import { matchingRules, validateTriggerRule } from '../../src/storage-events/trigger-rules.js';
import type { NormalizedRecord, TriggerRule } from '../../src/storage-events/types.js';
import { readFixture } from './read-fixture.js';

const VALID = {
  id: 'thumbs',
  bucket: 'photos',
  events: ['s3:ObjectCreated:*'],
  prefix: 'uploads/',
  suffix: '.jpg',
  functionName: 'make-thumbnail',
  qualifier: 'live',
};

describe('validateTriggerRule', () => {
  it('accepts a full rule and returns a copy', () => {
    const result = validateTriggerRule(VALID);
    assert.deepEqual(result, { ok: true, rule: VALID });
    assert.ok(result.ok);
    assert.notEqual(result.rule.events, VALID.events);
  });

  it('accepts a rule without prefix, suffix and qualifier', () => {
    const input = { id: 'all', bucket: 'b', events: ['s3:*'], functionName: 'f' };
    assert.deepEqual(validateTriggerRule(input), { ok: true, rule: input });
  });

  it('accepts every AWS event type name, with $LATEST and version qualifiers', () => {
    const events = [
      's3:ObjectCreated:Put',
      's3:ObjectCreated:Post',
      's3:ObjectCreated:Copy',
      's3:ObjectCreated:CompleteMultipartUpload',
      's3:ObjectRemoved:*',
      's3:ObjectRemoved:Delete',
      's3:ObjectRemoved:DeleteMarkerCreated',
      's3:ObjectRestore:*',
      's3:LifecycleExpiration:*',
      's3:ObjectTagging:Put',
      's3:ObjectAcl:Put',
      's3:Replication:OperationFailedReplication',
    ];
    for (const qualifier of ['$LATEST', '12']) {
      assert.equal(validateTriggerRule({ ...VALID, events, qualifier }).ok, true);
    }
  });

  const refused: [name: string, input: unknown, message: string][] = [
    ['a non-object', ['thumbs'], 'A trigger rule must be a JSON object.'],
    [
      'an unknown field',
      { ...VALID, prefx: 'a/' },
      'Unknown field "prefx"; a trigger rule has id, bucket, events, prefix, suffix, functionName, qualifier.',
    ],
    [
      'a missing id',
      { ...VALID, id: undefined },
      'id must be 1-128 characters of letters, digits and . _ : -',
    ],
    [
      'an id with spaces',
      { ...VALID, id: 'a b' },
      'id must be 1-128 characters of letters, digits and . _ : -',
    ],
    [
      'an empty bucket',
      { ...VALID, bucket: '' },
      'bucket must be a bucket name of 1-255 characters.',
    ],
    [
      'a bucket with a slash',
      { ...VALID, bucket: 'a/b' },
      'bucket must be a bucket name, without "/".',
    ],
    [
      'no events',
      { ...VALID, events: [] },
      'events must be a non-empty array of S3 event types, e.g. ["s3:ObjectCreated:*"].',
    ],
    [
      'events as a string',
      { ...VALID, events: 's3:ObjectCreated:*' },
      'events must be a non-empty array of S3 event types, e.g. ["s3:ObjectCreated:*"].',
    ],
    [
      'an event without the s3: prefix',
      { ...VALID, events: ['s3:ObjectRemoved:*', 'ObjectCreated:Put'] },
      'events[1] "ObjectCreated:Put" needs the s3: prefix: "s3:ObjectCreated:Put".',
    ],
    [
      'an unknown event type',
      { ...VALID, events: ['s3:ObjectCreated'] },
      'events[0] "s3:ObjectCreated" is not an S3 event type (e.g. s3:ObjectCreated:*, s3:ObjectRemoved:Delete).',
    ],
    [
      'a wildcard in the middle',
      { ...VALID, events: ['s3:*:Put'] },
      'events[0] "s3:*:Put" is not an S3 event type (e.g. s3:ObjectCreated:*, s3:ObjectRemoved:Delete).',
    ],
    ['a number as event', { ...VALID, events: [1] }, 'events[0] must be a string.'],
    [
      'an empty prefix',
      { ...VALID, prefix: '' },
      'prefix must be a non-empty string when present (leave it out to match every key).',
    ],
    [
      'a numeric suffix',
      { ...VALID, suffix: 5 },
      'suffix must be a non-empty string when present (leave it out to match every key).',
    ],
    [
      'a function ARN',
      { ...VALID, functionName: 'arn:aws:lambda:us-east-1:123456789012:function:f' },
      'functionName must be a function name of 1-64 letters, digits, - and _.',
    ],
    [
      'a 65-character function name',
      { ...VALID, functionName: 'f'.repeat(65) },
      'functionName must be a function name of 1-64 letters, digits, - and _.',
    ],
    [
      'a qualifier with a dot',
      { ...VALID, qualifier: 'v1.2' },
      'qualifier must be $LATEST, a version number or an alias name (at most 128 characters).',
    ],
  ];
  for (const [name, input, message] of refused) {
    it(`refuses ${name}`, () => {
      assert.deepEqual(validateTriggerRule(input), { ok: false, message });
    });
  }
});

function recordOf(fixture: string, patch?: { key?: string; bucket?: string }): NormalizedRecord {
  const result = normalizeNotification(readFixture(fixture), { region: 'us-east-1' });
  assert.ok(result.ok);
  const [first] = result.records;
  assert.ok(first);
  return { ...first, ...patch };
}

function rule(id: string, fields: Partial<TriggerRule>): TriggerRule {
  return {
    id,
    bucket: 'photos',
    events: ['s3:ObjectCreated:*'],
    functionName: `fn-${id}`,
    ...fields,
  };
}

describe('matchingRules', () => {
  // The decoded key is "uploads/summer 2024/cat pic+1 (café).jpg".
  const put = recordOf('minio-put.json');
  const del = recordOf('aws-delete.json');

  const cases: [name: string, r: TriggerRule, putMatches: boolean, deleteMatches: boolean][] = [
    ['a family wildcard', rule('created', {}), true, false],
    ['an exact event type', rule('deleted', { events: ['s3:ObjectRemoved:Delete'] }), false, true],
    [
      'another exact type',
      rule('marker', { events: ['s3:ObjectRemoved:DeleteMarkerCreated'] }),
      false,
      false,
    ],
    ['every event', rule('all', { events: ['s3:*'] }), true, true],
    [
      'either of two types',
      rule('both', { events: ['s3:ObjectCreated:Put', 's3:ObjectRemoved:*'] }),
      true,
      true,
    ],
    ['a prefix on the decoded key', rule('p', { prefix: 'uploads/summer 2024/' }), true, false],
    ['a prefix in AWS encoding', rule('enc', { prefix: 'uploads/summer+2024/' }), false, false],
    ['a prefix of another folder', rule('logs', { prefix: 'logs/' }), false, false],
    ['a suffix with unicode', rule('s', { suffix: '(café).jpg' }), true, false],
    ['a suffix of another type', rule('png', { suffix: '.png' }), false, false],
    ['a suffix that differs in case', rule('JPG', { suffix: '.JPG' }), false, false],
    [
      'prefix and suffix',
      rule('ps', { prefix: 'uploads/', suffix: '.jpg', events: ['s3:*'] }),
      true,
      true,
    ],
    ['another bucket', rule('other', { bucket: 'photos-archive', events: ['s3:*'] }), false, false],
  ];
  for (const [name, r, putMatches, deleteMatches] of cases) {
    it(`${name}: put ${putMatches}, delete ${deleteMatches}`, () => {
      assert.deepEqual(matchingRules([r], put), putMatches ? [r] : []);
      assert.deepEqual(matchingRules([r], del), deleteMatches ? [r] : []);
    });
  }

  it('returns every matching rule, in the order given', () => {
    const rules = cases.map(([, r]) => r);
    assert.deepEqual(
      matchingRules(rules, put).map((r) => r.id),
      ['created', 'all', 'both', 'p', 's', 'ps'],
    );
    assert.deepEqual(
      matchingRules(rules, del).map((r) => r.id),
      ['deleted', 'all', 'both', 'ps'],
    );
  });

  it('matches a raw RGW key with "+" and "%" literally', () => {
    const rgw = recordOf('ceph-rgw-put.json');
    const r = rule('rgw', { prefix: 'uploads/cat pic+1 100%' });
    assert.deepEqual(matchingRules([r], rgw), [r]);
    assert.deepEqual(matchingRules([r], { ...rgw, key: 'uploads/cat pic 1 100%.jpg' }), []);
  });

  it('matches nothing when there are no rules', () => {
    assert.deepEqual(matchingRules([], put), []);
  });
});
