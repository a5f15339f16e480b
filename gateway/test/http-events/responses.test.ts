import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  integrationError,
  mapV1Response,
  mapV2Response,
  type HttpResponse,
  type IntegrationErrorKind,
  type ResponseFlavor,
} from '../../src/http-events/responses.js';

const out = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));
const json = (
  statusCode: number,
  body: string,
  headers: Array<[string, string]> = [],
): HttpResponse => ({
  statusCode,
  headers: [...headers, ['content-type', 'application/json']],
  body: Buffer.from(body),
});

const V1_ERROR = json(502, '{"message": "Internal server error"}');
const HTTP_API_ERROR = json(500, '{"message":"Internal Server Error"}');
const URL_ERROR = json(502, 'Internal Server Error');

describe('mapV1Response', () => {
  it('merges headers and multiValueHeaders, multi-value names winning', () => {
    const response = mapV1Response(
      out({
        statusCode: 201,
        headers: { 'X-One': 'a', 'Set-Cookie': 'dropped', 'X-Num': 5, 'X-Null': null },
        multiValueHeaders: { 'set-cookie': ['a=1', 'b=2'], 'X-Two': ['x', true] },
        body: 'created',
      }),
    );
    assert.deepEqual(response, {
      statusCode: 201,
      headers: [
        ['X-One', 'a'],
        ['X-Num', '5'],
        ['set-cookie', 'a=1'],
        ['set-cookie', 'b=2'],
        ['X-Two', 'x'],
        ['X-Two', 'true'],
        ['content-type', 'application/json'],
      ],
      body: Buffer.from('created'),
    });
  });

  it('accepts a numeric-string statusCode, decodes a base64 body, keeps the function content type', () => {
    assert.deepEqual(
      mapV1Response(
        out({
          statusCode: '418',
          headers: { 'Content-Type': 'image/png' },
          body: 'iVBOR/8A',
          isBase64Encoded: true,
        }),
      ),
      {
        statusCode: 418,
        headers: [['Content-Type', 'image/png']],
        body: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]),
      },
    );
  });

  it('treats a missing body as empty and ignores unknown keys', () => {
    assert.deepEqual(mapV1Response(out({ statusCode: 204, extra: 1 })), json(204, ''));
  });

  const malformed: Array<[string, Buffer, string]> = [
    ['not JSON', Buffer.from('oops'), 'the function output is not JSON'],
    ['a JSON string', out('hello'), 'the function output is not a JSON object'],
    ['a JSON array', out([1]), 'the function output is not a JSON object'],
    ['no statusCode', out({ body: 'x' }), 'statusCode undefined is not an HTTP status'],
    ['a word statusCode', out({ statusCode: 'OK' }), 'statusCode "OK" is not an HTTP status'],
    [
      'a fractional statusCode',
      out({ statusCode: 200.5 }),
      'statusCode 200.5 is not an HTTP status',
    ],
    ['a statusCode out of range', out({ statusCode: 99 }), 'statusCode 99 is not an HTTP status'],
    ['an object body', out({ statusCode: 200, body: { a: 1 } }), 'body must be a string'],
    ['headers as a list', out({ statusCode: 200, headers: ['a'] }), 'headers must be an object'],
    [
      'an object header value',
      out({ statusCode: 200, headers: { a: {} } }),
      'header "a" has a value that is not a string',
    ],
    [
      'a multi-value header that is not a list',
      out({ statusCode: 200, multiValueHeaders: { a: 'x' } }),
      'multiValueHeaders "a" must be an array',
    ],
    [
      'a header value with a newline',
      out({ statusCode: 200, headers: { a: 'x\r\ny: z' } }),
      'header "a" contains CR, LF or NUL',
    ],
    [
      'an invalid header name',
      out({ statusCode: 200, headers: { 'a b': 'x' } }),
      '"a b" is not a valid header name',
    ],
  ];
  for (const [name, output, problem] of malformed) {
    it(`answers 502 Internal server error for ${name}`, () => {
      assert.deepEqual(mapV1Response(output), { ...V1_ERROR, problem });
    });
  }
});

describe('mapV2Response (function URL, recorded AWS table)', () => {
  // python3.12 handler return values and the exact response AWS sent back.
  const table: Array<[string, string, number, string]> = [
    ['{"hello": "world"}', '{"hello": "world"}', 200, '{"hello":"world"}'],
    [
      '{"statusCode": 200, "body": "body123"}',
      '{"statusCode": 200, "body": "body123"}',
      200,
      'body123',
    ],
    [
      '{"statusCode": 200, "body": "{\\"hello\\": \\"world\\"}"}',
      '{"statusCode": 200, "body": "{\\"hello\\": \\"world\\"}"}',
      200,
      '{"hello": "world"}',
    ],
    ['["hello", 3, True]', '["hello", 3, true]', 200, '["hello",3,true]'],
    ['"hello"', '"hello"', 200, 'hello'],
    ['3', '3', 200, '3'],
    ['3.1', '3.1', 200, '3.1'],
    ['True', 'true', 200, 'true'],
  ];
  for (const [returned, payload, status, body] of table) {
    it(`returns ${returned} → ${status} ${body}`, () => {
      assert.deepEqual(mapV2Response(Buffer.from(payload), 'function-url'), json(status, body));
    });
  }

  it('passes custom headers and a string statusCode through', () => {
    const response = mapV2Response(
      out({
        statusCode: '418',
        headers: { 'My-Custom-Header': 'Custom Value' },
        body: 'teapot',
        isBase64Encoded: false,
      }),
      'function-url',
    );
    assert.deepEqual(response, json(418, 'teapot', [['My-Custom-Header', 'Custom Value']]));
  });

  it('serializes an object body as JSON', () => {
    assert.deepEqual(
      mapV2Response(
        out({ statusCode: 200, headers: { 'Content-Type': 'application/json' }, body: { a: [1] } }),
        'function-url',
      ),
      {
        statusCode: 200,
        headers: [['Content-Type', 'application/json']],
        body: Buffer.from('{"a":[1]}'),
      },
    );
  });

  it('answers 502 Internal Server Error for output that is not JSON', () => {
    assert.deepEqual(mapV2Response(Buffer.from('{oops'), 'function-url'), {
      ...URL_ERROR,
      problem: 'the function output is not JSON',
    });
  });
});

describe('mapV2Response (HTTP API)', () => {
  it('keeps the quotes of a returned string and re-serializes other values', () => {
    assert.deepEqual(mapV2Response(out('Hello, world!'), 'http-api'), json(200, '"Hello, world!"'));
    assert.deepEqual(mapV2Response(Buffer.from('{ "a" : 1 }'), 'http-api'), json(200, '{"a":1}'));
  });

  it('treats empty output as JSON null', () => {
    assert.deepEqual(mapV2Response(Buffer.alloc(0), 'http-api'), json(200, 'null'));
  });

  it('makes one set-cookie per cookie, joins list header values, decodes base64 bodies', () => {
    const response = mapV2Response(
      out({
        statusCode: 302,
        headers: {
          Location: '/next',
          'X-List': ['a', 1],
          'X-Null': null,
          'Content-Type': 'text/plain',
        },
        multiValueHeaders: { ignored: ['x'] },
        cookies: ['a=1; Path=/', 'b=2'],
        body: 'aGk=',
        isBase64Encoded: true,
      }),
      'http-api',
    );
    assert.deepEqual(response, {
      statusCode: 302,
      headers: [
        ['Location', '/next'],
        ['X-List', 'a,1'],
        ['Content-Type', 'text/plain'],
        ['set-cookie', 'a=1; Path=/'],
        ['set-cookie', 'b=2'],
      ],
      body: Buffer.from('hi'),
    });
  });

  const malformed: Array<[string, Buffer, string]> = [
    ['not JSON', Buffer.from('nope'), 'the function output is not JSON'],
    ['a null statusCode', out({ statusCode: null }), 'statusCode null is not an HTTP status'],
    ['an object body', out({ statusCode: 200, body: { a: 1 } }), 'body must be a string'],
    [
      'cookies that are not a list',
      out({ statusCode: 200, cookies: 'a=1' }),
      'cookies must be an array of strings',
    ],
    [
      'a cookie that is an object',
      out({ statusCode: 200, cookies: [{}] }),
      'header "set-cookie" has a value that is not a string',
    ],
  ];
  for (const [name, output, problem] of malformed) {
    it(`answers 500 Internal Server Error for ${name}`, () => {
      assert.deepEqual(mapV2Response(output, 'http-api'), { ...HTTP_API_ERROR, problem });
    });
  }
});

describe('integrationError', () => {
  const table: Array<[IntegrationErrorKind, ResponseFlavor, number, string]> = [
    ['function-error', 'v1', 502, '{"message": "Internal server error"}'],
    ['malformed-response', 'v1', 502, '{"message": "Internal server error"}'],
    ['function-missing', 'v1', 502, '{"message": "Internal server error"}'],
    ['timeout', 'v1', 504, '{"message": "Endpoint request timed out"}'],
    ['throttled', 'v1', 429, '{"message":"Too Many Requests"}'],
    ['function-error', 'http-api', 500, '{"message":"Internal Server Error"}'],
    ['malformed-response', 'http-api', 500, '{"message":"Internal Server Error"}'],
    ['function-missing', 'http-api', 500, '{"message":"Internal Server Error"}'],
    ['timeout', 'http-api', 504, '{"message":"Gateway Timeout"}'],
    ['throttled', 'http-api', 429, '{"message":"Too Many Requests"}'],
    ['function-error', 'function-url', 502, 'Internal Server Error'],
    ['malformed-response', 'function-url', 502, 'Internal Server Error'],
    ['function-missing', 'function-url', 502, 'Internal Server Error'],
    ['timeout', 'function-url', 504, 'Gateway Timeout'],
    ['throttled', 'function-url', 429, '{"Message":"Rate Exceeded."}'],
  ];
  for (const [kind, flavor, status, body] of table) {
    it(`${kind} on ${flavor} → ${status} ${body}`, () => {
      assert.deepEqual(integrationError(kind, flavor), json(status, body));
    });
  }
});
