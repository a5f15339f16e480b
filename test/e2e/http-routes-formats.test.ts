/**
 * End to end for user HTTP routes on a running stack, continued: the outputs a function can
 * give in each payload format, the REST (1.0) proxy event whole, and the routes management
 * API's validation, updates and deletes. See http-routes.test.ts for the v2 event, routing
 * and failures.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACCOUNT,
  BYTES,
  stableHeaders,
  useRouteSuite,
  V1_FAILED,
  V2_FAILED,
  type Json,
} from '../helpers/http-routes.js';
import { headerValues } from '../helpers/raw-http.js';

describe('HTTP routes: payload formats and route management on the real stack', () => {
  const {
    fn,
    host,
    call,
    api,
    createRoute,
    deleteRoutes,
    echoed,
    expectUnknownOperation,
    expectError,
  } = useRouteSuite();

  it('maps v2 outputs: binary body, shortcut object, bare string, 204, malformed output → 500', async () => {
    const id = await createRoute({ RouteKey: 'GET /shapes/{kind}', FunctionName: fn.shapes });
    try {
      const binary = await call({ path: '/shapes/binary' });
      assert.equal(binary.status, 200);
      assert.deepEqual(headerValues(binary, 'content-type'), ['image/png']);
      assert.deepEqual(binary.body, BYTES);

      const shortcut = await call({ path: '/shapes/shortcut' });
      assert.deepEqual(
        [shortcut.status, headerValues(shortcut, 'content-type'), shortcut.text],
        [200, ['application/json'], '{"hello":"world","n":[1,2]}'],
      );
      const text = await call({ path: '/shapes/string' });
      assert.deepEqual([text.status, text.text], [200, '"hello"']);
      const empty = await call({ path: '/shapes/other' });
      assert.deepEqual([empty.status, empty.text], [204, '']);

      await expectError({ path: '/shapes/bad-status' }, 500, V2_FAILED);
      await expectError({ path: '/shapes/object-body' }, 500, V2_FAILED);
    } finally {
      await deleteRoutes([id]);
    }
  });

  it('hands a 1.0 route the REST proxy event: multi-value maps, last value wins, null maps', async () => {
    const id = await createRoute({
      RouteKey: 'ANY /rest/{proxy+}',
      FunctionName: fn.echo,
      PayloadFormatVersion: '1.0',
    });
    try {
      const { res, event, rc } = await echoed({
        path: '/rest/a%20b/c?x=1&x=2&y=',
        headers: [
          ['User-Agent', 'curl/8.5.0'],
          ['X-Repeat', 'one'],
          ['x-repeat', 'two'],
          ['Cookie', 'a=1; b=2'],
        ],
      });
      assert.match(rc.resourceId as string, /^[0-9a-f]{6}$/);
      assert.match(rc.extendedRequestId as string, /^[A-Za-z0-9+/]{15}=$/);
      const identity = {
        cognitoIdentityPoolId: null,
        accountId: null,
        cognitoIdentityId: null,
        caller: null,
        sourceIp: '127.0.0.1',
        principalOrgId: null,
        accessKey: null,
        cognitoAuthenticationType: null,
        cognitoAuthenticationProvider: null,
        userArn: null,
        userAgent: 'curl/8.5.0',
        user: null,
      };
      assert.deepEqual(event, {
        resource: '/rest/{proxy+}',
        path: '/rest/a%20b/c',
        httpMethod: 'GET',
        headers: {
          Host: host(),
          'User-Agent': 'curl/8.5.0',
          'X-Repeat': 'two',
          Cookie: 'a=1; b=2',
        },
        multiValueHeaders: {
          Host: [host()],
          'User-Agent': ['curl/8.5.0'],
          'X-Repeat': ['one', 'two'],
          Cookie: ['a=1; b=2'],
        },
        queryStringParameters: { x: '2', y: '' },
        multiValueQueryStringParameters: { x: ['1', '2'], y: [''] },
        pathParameters: { proxy: 'a b/c' },
        stageVariables: null,
        requestContext: {
          resourceId: rc.resourceId,
          resourcePath: '/rest/{proxy+}',
          httpMethod: 'GET',
          extendedRequestId: rc.extendedRequestId,
          requestTime: rc.requestTime,
          path: '/rest/a%20b/c',
          accountId: ACCOUNT,
          protocol: 'HTTP/1.1',
          stage: '$default',
          domainPrefix: '127',
          requestTimeEpoch: rc.requestTimeEpoch,
          requestId: rc.requestId,
          identity,
          domainName: host(),
          apiId: 'lambdock',
        },
        body: null,
        isBase64Encoded: false,
      });
      assert.deepEqual(stableHeaders(res), [
        ['x-amzn-requestid', rc.requestId],
        ['content-type', 'application/json'],
        ['x-echo-format', '1.0'],
        ['x-echo-method', 'GET'],
        ['x-multi', 'a'],
        ['x-multi', 'b'],
        ['x-both', 'same'],
        ['x-both', 'other'],
        ['content-length', String(res.body.length)],
      ]);

      const posted = await echoed({
        method: 'POST',
        path: '/rest/only',
        headers: [['Content-Type', 'application/json']],
        body: '{"n":1}',
      });
      const { queryStringParameters, multiValueQueryStringParameters, body, isBase64Encoded } =
        posted.event;
      assert.deepEqual(
        { queryStringParameters, multiValueQueryStringParameters, body, isBase64Encoded },
        {
          queryStringParameters: null,
          multiValueQueryStringParameters: null,
          body: '{"n":1}',
          isBase64Encoded: false,
        },
      );
    } finally {
      await deleteRoutes([id]);
    }
  });

  it('maps 1.0 outputs: binary body decoded, anything but a proxy response → 502', async () => {
    const id = await createRoute({
      RouteKey: 'GET /rest-shapes/{kind}',
      FunctionName: fn.shapes,
      PayloadFormatVersion: '1.0',
    });
    try {
      const binary = await call({ path: '/rest-shapes/binary' });
      assert.deepEqual([binary.status, headerValues(binary, 'content-type')], [200, ['image/png']]);
      assert.deepEqual(binary.body, BYTES);
      for (const kind of ['shortcut', 'string', 'bad-status', 'object-body', 'null'])
        await expectError({ path: `/rest-shapes/${kind}` }, 502, V1_FAILED);
    } finally {
      await deleteRoutes([id]);
    }
  });

  it('validates, updates and deletes routes through the management API', async () => {
    const refused = async (body: Json, status: number, type: string, message: string) => {
      const res = await api('POST', '', body);
      assert.equal(res.status, status, res.text);
      assert.deepEqual(headerValues(res, 'x-amzn-ErrorType'), [type]);
      assert.equal((JSON.parse(res.text) as Json).message, message);
    };
    await refused(
      { RouteKey: 'FETCH /x', FunctionName: fn.echo },
      400,
      'ValidationException',
      '1 validation error detected: RouteKey unknown method "FETCH" in route key "FETCH /x": use one of ANY, GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS',
    );
    await refused(
      { RouteKey: 'GET /2015-03-31/functions', FunctionName: fn.echo },
      400,
      'ValidationException',
      '1 validation error detected: RouteKey path /2015-03-31/functions is served by lambdock itself',
    );
    await refused(
      { RouteKey: 'GET /x', FunctionName: fn.echo, TimeoutInMillis: 10 },
      400,
      'ValidationException',
      '1 validation error detected: TimeoutInMillis must be an integer from 50 to 30000',
    );
    const id = await createRoute({ RouteKey: 'GET /dup/{a}', FunctionName: fn.echo });
    await refused(
      { RouteKey: 'GET /dup/{b}', FunctionName: fn.echo },
      409,
      'ResourceConflictException',
      'route "GET /dup/{b}" conflicts with "GET /dup/{a}"',
    );

    const patched = await api('PATCH', `/${id}`, { PayloadFormatVersion: '1.0' });
    assert.equal(patched.status, 200, patched.text);
    assert.deepEqual(
      [(JSON.parse(patched.text) as Json).PayloadFormatVersion, (await api('GET', `/${id}`)).text],
      ['1.0', patched.text],
    );
    const { res } = await echoed({ path: '/dup/1' });
    assert.deepEqual(headerValues(res, 'x-echo-format'), ['1.0'], 'the update is live at once');

    assert.equal((await api('DELETE', `/${id}`)).status, 204);
    const gone = await api('GET', `/${id}`);
    assert.equal(gone.status, 404);
    assert.deepEqual(JSON.parse(gone.text), { Type: 'User', Message: `Route not found: ${id}` });
    await expectUnknownOperation('GET', '/dup/1');
  });
});
