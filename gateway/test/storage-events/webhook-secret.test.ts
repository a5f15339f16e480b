import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  presentedSecret,
  secretMatches,
  type HeaderMap,
} from '../../src/storage-events/webhook-secret.js';

describe('presentedSecret', () => {
  const cases: [
    name: string,
    headers: HeaderMap,
    query: Record<string, unknown>,
    token: string | undefined,
  ][] = [
    ['a Bearer header (MinIO)', { authorization: 'Bearer s3cr3t' }, {}, 's3cr3t'],
    ['a lower-case scheme', { authorization: 'bearer s3cr3t' }, {}, 's3cr3t'],
    ['a header name in any case', { Authorization: 'Bearer s3cr3t' }, {}, 's3cr3t'],
    ['a repeated header given once', { authorization: ['Bearer s3cr3t'] }, {}, 's3cr3t'],
    ['a ?token= parameter (Ceph RGW)', { host: 'x' }, { token: 's3cr3t' }, 's3cr3t'],
    ['the header before the parameter', { authorization: 'Bearer a' }, { token: 'b' }, 'a'],
    [
      'the parameter when the header is not Bearer',
      { authorization: 'Basic dTpw' },
      { token: 'b' },
      'b',
    ],
    ['nothing for another scheme alone', { authorization: 'Basic dTpw' }, {}, undefined],
    ['nothing for an empty Bearer', { authorization: 'Bearer ' }, {}, undefined],
    ['nothing for a Bearer with two words', { authorization: 'Bearer a b' }, {}, undefined],
    ['nothing for two headers', { authorization: ['Bearer a', 'Bearer b'] }, {}, undefined],
    ['nothing for two parameters', {}, { token: ['a', 'b'] }, undefined],
    ['nothing for an empty parameter', {}, { token: '' }, undefined],
    ['nothing at all', {}, {}, undefined],
  ];
  for (const [name, headers, query, token] of cases) {
    it(`reads ${name}`, () => {
      assert.equal(presentedSecret(headers, query), token);
    });
  }
});

describe('secretMatches', () => {
  const cases: [expected: string, presented: string | undefined, matches: boolean][] = [
    ['s3cr3t', 's3cr3t', true],
    ['påss wörd', 'påss wörd', true],
    ['s3cr3t', 's3cr3T', false],
    ['s3cr3t', 's3cr3t ', false],
    ['s3cr3t', 's3cr3', false],
    ['s3cr3t', 'a much longer secret than expected', false],
    ['s3cr3t', undefined, false],
    ['', '', false],
  ];
  for (const [expected, presented, matches] of cases) {
    it(`${JSON.stringify(expected)} vs ${JSON.stringify(presented)}: ${matches}`, () => {
      assert.equal(secretMatches(expected, presented), matches);
    });
  }
});
