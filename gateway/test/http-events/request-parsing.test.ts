import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeBody, mediaType } from '../../src/http-events/body-encoding.js';
import { percentDecode } from '../../src/http-events/percent-decode.js';
import { parseQueryString } from '../../src/http-events/query-string.js';
import { headerPairs, lastHeaderValue } from '../../src/http-events/request-facts.js';
import { formatRequestTime } from '../../src/http-events/request-time.js';

describe('percentDecode', () => {
  const cases: Array<[string, string]> = [
    ['plain', 'plain'],
    ['a%20b', 'a b'],
    ['caf%C3%A9', 'café'],
    ['100%', '100%'],
    ['%zz%41', '%zzA'],
    ['%E2%82', '%E2%82'],
    ['%E2%82%AC%E2', '%E2%82%AC%E2'],
    ['%E2%82%AC-%E2', '€-%E2'],
  ];
  for (const [raw, decoded] of cases) {
    it(`${raw} → ${decoded}`, () => assert.equal(percentDecode(raw), decoded));
  }
});

describe('parseQueryString', () => {
  it('form-decodes keys and values, keeps order and repeats, drops empty pieces', () => {
    assert.deepEqual(parseQueryString('a=1&&b=x+y%2Bz&a=2&flag&=orphan&k%20ey=v=w&bad=%E2'), [
      ['a', '1'],
      ['b', 'x y+z'],
      ['a', '2'],
      ['flag', ''],
      ['k ey', 'v=w'],
      ['bad', '%E2'],
    ]);
  });

  it('returns nothing for an empty query string', () => {
    assert.deepEqual(parseQueryString(''), []);
  });
});

describe('request headers', () => {
  it('pairs rawHeaders and finds the last value case-insensitively', () => {
    const raw = ['A', '1', 'b', '2', 'a', '3', 'dangling'];
    assert.deepEqual(headerPairs(raw), [
      ['A', '1'],
      ['b', '2'],
      ['a', '3'],
    ]);
    assert.equal(lastHeaderValue(raw, 'A'), '3');
    assert.equal(lastHeaderValue(raw, 'c'), undefined);
  });
});

describe('encodeBody', () => {
  it('strips parameters and case from the media type', () => {
    assert.equal(mediaType('Text/HTML; charset=UTF-8'), 'text/html');
    assert.equal(mediaType(undefined), '');
  });

  const cases: Array<[string | undefined, string, boolean]> = [
    ['text/html', 'aGk=', false],
    ['application/json', 'aGk=', false],
    ['application/xml', 'aGk=', false],
    ['application/javascript', 'aGk=', false],
    ['image/svg+xml', 'aGk=', false],
    [undefined, 'aGk=', true],
    ['application/octet-stream', 'aGk=', true],
  ];
  for (const [type, base64, isBase64Encoded] of cases) {
    it(`${type ?? 'no content type'} → ${isBase64Encoded ? 'base64' : 'text'}`, () => {
      assert.deepEqual(encodeBody(Buffer.from('hi'), type), {
        body: isBase64Encoded ? base64 : 'hi',
        isBase64Encoded,
      });
    });
  }

  it('forces base64 for binaryMediaTypes ranges, exact and wildcard', () => {
    const body = Buffer.from('hi');
    assert.equal(encodeBody(body, 'text/csv', ['text/csv']).isBase64Encoded, true);
    assert.equal(encodeBody(body, 'text/csv', ['*/*']).isBase64Encoded, true);
    assert.equal(encodeBody(body, 'text/csv', ['image/*']).isBase64Encoded, false);
  });
});

describe('formatRequestTime', () => {
  it('formats in UTC with zero padding', () => {
    assert.equal(formatRequestTime(1583798639428), '10/Mar/2020:00:03:59 +0000');
    assert.equal(formatRequestTime(Date.UTC(2024, 0, 5, 7, 8, 9)), '05/Jan/2024:07:08:09 +0000');
    assert.equal(
      formatRequestTime(Date.UTC(1999, 11, 31, 23, 59, 59, 999)),
      '31/Dec/1999:23:59:59 +0000',
    );
  });
});
