import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildV1Event, type V1RouteContext } from '../../src/http-events/v1-event.js';
import { REQUEST_ID, TIME_EPOCH_MS, requestFacts } from './request-fixture.js';

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0xff, 0x00]);

const ROUTE: V1RouteContext = {
  resource: '/items/{proxy+}',
  pathParameters: { proxy: 'a b/c' },
  stage: 'prod',
  stageVariables: { env: 'test' },
  apiId: 'abc123',
  accountId: '123456789012',
  domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
  resourceId: 'r3sxmp',
};

const identity = (userAgent: string | null) => ({
  cognitoIdentityPoolId: null,
  accountId: null,
  cognitoIdentityId: null,
  caller: null,
  sourceIp: '203.0.113.7',
  principalOrgId: null,
  accessKey: null,
  cognitoAuthenticationType: null,
  cognitoAuthenticationProvider: null,
  userArn: null,
  userAgent,
  user: null,
});

describe('buildV1Event', () => {
  it('builds the whole REST proxy event: repeated headers and query keys, proxy path, binary body', () => {
    const event = buildV1Event(
      requestFacts({
        method: 'POST',
        rawPath: '/items/a%20b/c',
        rawQueryString: 'tag=x&tag=y%2Fz&q=a+b%2B&flag',
        rawHeaders: [
          'Host',
          'api.example.com',
          'User-Agent',
          'curl/8.0',
          'Accept',
          'text/html',
          'accept',
          'application/json',
          'Cookie',
          'a=1; b=2',
          'Content-Type',
          'image/png',
        ],
        body: PNG,
      }),
      ROUTE,
    );
    assert.deepEqual(event, {
      resource: '/items/{proxy+}',
      path: '/items/a%20b/c',
      httpMethod: 'POST',
      headers: {
        Host: 'api.example.com',
        'User-Agent': 'curl/8.0',
        Accept: 'application/json',
        Cookie: 'a=1; b=2',
        'Content-Type': 'image/png',
      },
      multiValueHeaders: {
        Host: ['api.example.com'],
        'User-Agent': ['curl/8.0'],
        Accept: ['text/html', 'application/json'],
        Cookie: ['a=1; b=2'],
        'Content-Type': ['image/png'],
      },
      queryStringParameters: { tag: 'y/z', q: 'a b+', flag: '' },
      multiValueQueryStringParameters: { tag: ['x', 'y/z'], q: ['a b+'], flag: [''] },
      pathParameters: { proxy: 'a b/c' },
      stageVariables: { env: 'test' },
      requestContext: {
        resourceId: 'r3sxmp',
        resourcePath: '/items/{proxy+}',
        httpMethod: 'POST',
        extendedRequestId: 'vVTmNza0jVsUnuc=',
        requestTime: '10/Mar/2020:00:03:59 +0000',
        path: '/prod/items/a%20b/c',
        accountId: '123456789012',
        protocol: 'HTTP/1.1',
        stage: 'prod',
        domainPrefix: 'abc123',
        requestTimeEpoch: TIME_EPOCH_MS,
        requestId: REQUEST_ID,
        identity: identity('curl/8.0'),
        domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
        apiId: 'abc123',
      },
      body: 'iVBOR/8A',
      isBase64Encoded: true,
    });
    assert.deepEqual(Object.keys(event), [
      'resource',
      'path',
      'httpMethod',
      'headers',
      'multiValueHeaders',
      'queryStringParameters',
      'multiValueQueryStringParameters',
      'pathParameters',
      'stageVariables',
      'requestContext',
      'body',
      'isBase64Encoded',
    ]);
  });

  it('uses null for every absent collection and for a missing body', () => {
    const event = buildV1Event(requestFacts(), {
      ...ROUTE,
      resource: '/',
      pathParameters: null,
      stageVariables: {},
    });
    assert.deepEqual(
      {
        headers: event.headers,
        multiValueHeaders: event.multiValueHeaders,
        queryStringParameters: event.queryStringParameters,
        multiValueQueryStringParameters: event.multiValueQueryStringParameters,
        pathParameters: event.pathParameters,
        stageVariables: event.stageVariables,
        body: event.body,
        isBase64Encoded: event.isBase64Encoded,
        path: event.path,
        contextPath: event.requestContext.path,
        identity: event.requestContext.identity,
      },
      {
        headers: null,
        multiValueHeaders: null,
        queryStringParameters: null,
        multiValueQueryStringParameters: null,
        pathParameters: null,
        stageVariables: null,
        body: null,
        isBase64Encoded: false,
        path: '/',
        contextPath: '/prod/',
        identity: identity(null),
      },
    );
  });

  it('sends a textual UTF-8 body as a string and honours binaryMediaTypes', () => {
    const req = requestFacts({
      method: 'POST',
      rawHeaders: ['content-type', 'application/json; charset=utf-8'],
      body: Buffer.from('{"name":"café"}'),
    });
    const text = buildV1Event(req, ROUTE);
    assert.deepEqual([text.body, text.isBase64Encoded], ['{"name":"café"}', false]);
    const forced = buildV1Event(req, ROUTE, { binaryMediaTypes: ['application/*'] });
    assert.deepEqual([forced.body, forced.isBase64Encoded], ['eyJuYW1lIjoiY2Fmw6kifQ==', true]);
  });

  it('derives a stable six-character resourceId per route when none is given', () => {
    const route: V1RouteContext = { ...ROUTE, resourceId: undefined };
    const a = buildV1Event(requestFacts(), { ...route, apiId: 'abc123', resource: '/items/{id}' });
    const b = buildV1Event(requestFacts(), { ...route, apiId: 'abc123', resource: '/other' });
    assert.equal(a.requestContext.resourceId, '3445af');
    assert.notEqual(b.requestContext.resourceId, a.requestContext.resourceId);
  });

  it('leaves a $default stage out of requestContext.path (it is not part of the URL)', () => {
    const cases: Array<[stage: string, rawPath: string, contextPath: string]> = [
      ['prod', '/items/a%20b', '/prod/items/a%20b'],
      ['$default', '/items/a%20b', '/items/a%20b'],
      ['$default', '', '/'],
    ];
    for (const [stage, rawPath, contextPath] of cases) {
      const event = buildV1Event(requestFacts({ rawPath }), { ...ROUTE, stage });
      assert.equal(event.requestContext.path, contextPath, `${stage} ${rawPath}`);
      assert.equal(event.requestContext.stage, stage);
    }
  });

  it('keeps the casing of the first occurrence of a header name and the last value', () => {
    const event = buildV1Event(
      requestFacts({ rawHeaders: ['X-Trace', '1', 'x-trace', '2'] }),
      ROUTE,
    );
    assert.deepEqual(event.headers, { 'X-Trace': '2' });
    assert.deepEqual(event.multiValueHeaders, { 'X-Trace': ['1', '2'] });
  });
});
