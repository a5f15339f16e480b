import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildV2Event, type V2RouteContext } from '../../src/http-events/v2-event.js';
import { REQUEST_ID, TIME_EPOCH_MS, requestFacts } from './request-fixture.js';

const FUNCTION_URL: V2RouteContext = {
  flavor: 'function-url',
  routeKey: '$default',
  pathParameters: null,
  stage: '$default',
  apiId: 'api-id',
  accountId: 'anonymous',
  domainName: 'lambda-url',
  domainPrefix: 'api-id',
};

describe('buildV2Event (HTTP API)', () => {
  it('builds the whole payload 2.0 event: cookies, joined headers and query keys, path params, binary body', () => {
    const event = buildV2Event(
      requestFacts({
        method: 'PUT',
        rawPath: '/items/42%20x',
        rawQueryString: 'a=1&a=2&b=%2Fx&c=d+e',
        // prettier-ignore
        rawHeaders: [
          'Host', 'abc123.execute-api.us-east-1.amazonaws.com',
          'User-Agent', 'curl/8.0',
          'X-Multi', 'one',
          'Cookie', 's=1; theme=dark',
          'x-multi', 'two',
          'cookie', ' lang=en ;',
          'Content-Type', 'application/octet-stream',
        ],
        body: Buffer.from([0x00, 0x01, 0xfe]),
      }),
      {
        flavor: 'http-api',
        routeKey: 'PUT /items/{id}',
        pathParameters: { id: '42 x' },
        stage: '$default',
        stageVariables: { env: 'test' },
        apiId: 'abc123',
        accountId: '123456789012',
        domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
        domainPrefix: 'abc123',
      },
    );
    assert.deepEqual(event, {
      version: '2.0',
      routeKey: 'PUT /items/{id}',
      rawPath: '/items/42 x',
      rawQueryString: 'a=1&a=2&b=%2Fx&c=d+e',
      cookies: ['s=1', 'theme=dark', 'lang=en'],
      headers: {
        host: 'abc123.execute-api.us-east-1.amazonaws.com',
        'user-agent': 'curl/8.0',
        'x-multi': 'one,two',
        'content-type': 'application/octet-stream',
      },
      queryStringParameters: { a: '1,2', b: '/x', c: 'd e' },
      requestContext: {
        accountId: '123456789012',
        apiId: 'abc123',
        domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
        domainPrefix: 'abc123',
        http: {
          method: 'PUT',
          path: '/items/42 x',
          protocol: 'HTTP/1.1',
          sourceIp: '203.0.113.7',
          userAgent: 'curl/8.0',
        },
        requestId: REQUEST_ID,
        routeKey: 'PUT /items/{id}',
        stage: '$default',
        time: '10/Mar/2020:00:03:59 +0000',
        timeEpoch: TIME_EPOCH_MS,
      },
      body: 'AAH+',
      pathParameters: { id: '42 x' },
      isBase64Encoded: true,
      stageVariables: { env: 'test' },
    });
  });

  it('omits cookies, query, body, path parameters and stage variables when absent', () => {
    const event = buildV2Event(requestFacts({ rawHeaders: ['Host', 'h'] }), {
      ...FUNCTION_URL,
      flavor: 'http-api',
      pathParameters: {},
      stageVariables: null,
    });
    assert.deepEqual(Object.keys(event), [
      'version',
      'routeKey',
      'rawPath',
      'rawQueryString',
      'headers',
      'requestContext',
      'isBase64Encoded',
    ]);
    assert.deepEqual([event.isBase64Encoded, event.requestContext.http.userAgent], [false, '']);
  });
});

describe('buildV2Event (function URL, oracle cases)', () => {
  it('reproduces the recorded event for a POST without Content-Type', () => {
    const event = buildV2Event(
      requestFacts({
        method: 'POST',
        rawPath: '/custom_path/extend',
        rawQueryString: 'test_param=test_value',
        sourceIp: 'ip-address',
        requestId: 'request-id',
        // prettier-ignore
        rawHeaders: [
          'Host', 'lambda-url',
          'User-Agent', 'python-requests/testing',
          'Accept-Encoding', 'gzip, deflate',
          'Accept', '*/*',
          'Content-Length', '15',
          'X-Forwarded-For', 'ip-address',
        ],
        body: Buffer.from("{'key':'value'}"),
      }),
      FUNCTION_URL,
    );
    assert.deepEqual(event, {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/custom_path/extend',
      rawQueryString: 'test_param=test_value',
      headers: {
        host: 'lambda-url',
        'user-agent': 'python-requests/testing',
        'accept-encoding': 'gzip, deflate',
        accept: '*/*',
        'content-length': '15',
        'x-forwarded-for': 'ip-address',
      },
      queryStringParameters: { test_param: 'test_value' },
      requestContext: {
        accountId: 'anonymous',
        apiId: 'api-id',
        domainName: 'lambda-url',
        domainPrefix: 'api-id',
        http: {
          method: 'POST',
          path: '/custom_path/extend',
          protocol: 'HTTP/1.1',
          sourceIp: 'ip-address',
          userAgent: 'python-requests/testing',
        },
        requestId: 'request-id',
        routeKey: '$default',
        stage: '$default',
        time: '10/Mar/2020:00:03:59 +0000',
        timeEpoch: TIME_EPOCH_MS,
      },
      body: 'eydrZXknOid2YWx1ZSd9',
      isBase64Encoded: true,
    });
  });

  it('keeps percent escapes in rawPath, collapses the leading //, decodes joined query values', () => {
    const event = buildV2Event(
      requestFacts({
        method: 'POST',
        rawPath: '//pa2%Fth/1',
        rawQueryString: 'q=query&multiQuery=foo&multiQuery=%2Fbar',
        rawHeaders: ['content-type', 'application/json', 'ExTrA-HeadErs', 'With WeiRd CapS'],
        body: Buffer.from('{"foo": "bar"}'),
      }),
      FUNCTION_URL,
    );
    assert.equal(event.rawPath, '/pa2%Fth/1');
    assert.equal(event.requestContext.http.path, '/pa2%Fth/1');
    assert.deepEqual(event.queryStringParameters, { q: 'query', multiQuery: 'foo,/bar' });
    assert.deepEqual(event.headers, {
      'content-type': 'application/json',
      'extra-headers': 'With WeiRd CapS',
    });
    assert.deepEqual([event.body, event.isBase64Encoded], ['{"foo": "bar"}', false]);
  });

  const bodies: Array<[string, string | undefined, Buffer, string | undefined, boolean]> = [
    ['text/plain', 'text/plain', Buffer.from('text'), 'text', false],
    [
      'multipart/form-data',
      'multipart/form-data; boundary=x',
      Buffer.from('--x\r\n'),
      'LS14DQo=',
      true,
    ],
    ['text that is not UTF-8', 'text/plain', Buffer.from([0xc3, 0x28]), 'wyg=', true],
    ['form-urlencoded', 'application/x-www-form-urlencoded', Buffer.from('a=1'), 'a=1', false],
    ['vendor json', 'application/vnd.api+json', Buffer.from('{}'), '{}', false],
    ['no body at all', 'text/plain', Buffer.alloc(0), undefined, false],
  ];
  for (const [name, contentType, body, expected, isBase64Encoded] of bodies) {
    it(`encodes the body: ${name}`, () => {
      const rawHeaders = contentType === undefined ? [] : ['Content-Type', contentType];
      const event = buildV2Event(requestFacts({ method: 'POST', rawHeaders, body }), FUNCTION_URL);
      assert.deepEqual(
        [event.body, event.isBase64Encoded, 'body' in event],
        [expected, isBase64Encoded, expected !== undefined],
      );
    });
  }
});
