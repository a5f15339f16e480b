/**
 * End to end for user HTTP routes on a running stack (gateway + worker processes, real Redis,
 * real Docker): routes are created through `/lambdock/v1/routes` and called like curl would
 * (raw paths, repeated headers and query keys, cookies, binary bodies). The echo fixture hands
 * back the exact event it got, so every event is asserted whole; the values that vary per
 * request (request id, time) are checked by shape and then taken over.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  DeleteFunctionConcurrencyCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction } from '../helpers/lambda.js';
import {
  headerValues,
  rawRequest,
  type RawRequest,
  type RawResponse,
} from '../helpers/raw-http.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';

type Json = Record<string, unknown>;

const ACCOUNT = '000000000000';
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const V1_FAILED = '{"message": "Internal server error"}';
const V2_FAILED = '{"message":"Internal Server Error"}';
/** The gateway's default limit for a synchronous request (Lambda's 6 MB). */
const SYNC_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** API Gateway's `10/Mar/2020:00:03:59 +0000`. */
function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  const month = MONTHS[d.getUTCMonth()] ?? '';
  return `${p(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The response headers that do not vary (date and connection handling left out). */
function stableHeaders(res: RawResponse): Array<[string, string]> {
  return res.headers
    .map(([n, v]): [string, string] => [n.toLowerCase(), v])
    .filter(([n]) => !['date', 'connection', 'keep-alive'].includes(n));
}

describe('HTTP routes (API Gateway v1 and v2 events) on the real stack', () => {
  const ctx = useStack([RUNTIME_IMAGES.node]);
  const fn = {
    echo: uniqueName('http-echo'),
    shapes: uniqueName('http-shapes'),
    throws: uniqueName('http-throws'),
    slow: uniqueName('http-slow'),
  };
  const host = (): string => `127.0.0.1:${ctx.stack.gatewayPort}`;
  const call = async (req: RawRequest): Promise<RawResponse> => rawRequest(ctx.stack.endpoint, req);

  async function api(method: string, path: string, body?: unknown): Promise<RawResponse> {
    return call({
      method,
      path: `/lambdock/v1/routes${path}`,
      ...(body === undefined
        ? {}
        : { headers: [['content-type', 'application/json']], body: JSON.stringify(body) }),
    });
  }
  async function createRoute(body: Json): Promise<string> {
    const res = await api('POST', '', body);
    assert.equal(res.status, 201, res.text);
    return (JSON.parse(res.text) as { RouteId: string }).RouteId;
  }
  async function deleteRoutes(ids: string[]): Promise<void> {
    for (const id of ids) assert.equal((await api('DELETE', `/${id}`)).status, 204);
  }
  /** The echoed event, with the request id and time checked by shape and returned. */
  async function echoed(req: RawRequest): Promise<{ res: RawResponse; event: Json; rc: Json }> {
    const started = Date.now();
    const res = await call(req);
    assert.ok(res.status < 300, `${res.status} ${res.text}`);
    const event = (JSON.parse(res.text) as { event: Json }).event;
    const rc = event.requestContext as Json;
    const epoch = (rc.timeEpoch ?? rc.requestTimeEpoch) as number;
    assert.ok(epoch >= started - 1000 && epoch <= Date.now(), `time ${epoch}`);
    assert.equal(rc.time ?? rc.requestTime, requestTime(epoch));
    assert.match(rc.requestId as string, UUID);
    return { res, event, rc };
  }
  async function expectUnknownOperation(method: string, path: string): Promise<void> {
    const res = await call({ method, path });
    assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
    assert.deepEqual(headerValues(res, 'x-amzn-ErrorType'), ['UnknownOperationException']);
    assert.deepEqual(JSON.parse(res.text), {
      message: `Unknown operation: ${method} ${path.split('?')[0] ?? ''}`,
    });
  }
  async function expectError(req: RawRequest, status: number, body: string): Promise<void> {
    const res = await call(req);
    assert.equal(res.status, status, `${req.path}: ${res.text}`);
    assert.equal(res.text, body, req.path);
    assert.deepEqual(headerValues(res, 'content-type'), ['application/json'], req.path);
  }

  before(async () => {
    // A roomy timeout: a cold start on a busy two-core host must not turn into a 5xx.
    const zip = (name: string, fixture: string, timeout = 15) =>
      createZipFunction(ctx.client, {
        name,
        fixture,
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        timeout,
      });
    await Promise.all([
      zip(fn.echo, 'node-http-echo'),
      zip(fn.shapes, 'node-http-shapes'),
      zip(fn.throws, 'node-throws'),
      zip(fn.slow, 'node-timeout', 5),
    ]);
  });

  it('serves a v2 route created through the API at once: path parameter, repeated query keys and headers, cookies', async () => {
    const res = await api('POST', '', { RouteKey: 'get /items/{id}', FunctionName: fn.echo });
    assert.equal(res.status, 201, res.text);
    const route = JSON.parse(res.text) as Json;
    assert.match(route.RouteId as string, /^[0-9a-f]{7}$/);
    assert.match(route.CreatedAt as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.deepEqual(route, {
      RouteId: route.RouteId,
      RouteKey: 'GET /items/{id}',
      FunctionName: fn.echo,
      PayloadFormatVersion: '2.0',
      TimeoutInMillis: 30000,
      ManagedBy: 'api',
      CreatedAt: route.CreatedAt,
    });

    const {
      res: answer,
      event,
      rc,
    } = await echoed({
      path: '/items/a%20b?tag=x&tag=y%2Fz&q=a+b&empty',
      headers: [
        ['User-Agent', 'curl/8.5.0'],
        ['Accept', '*/*'],
        ['X-Repeat', 'one'],
        ['x-repeat', 'two'],
        ['Cookie', 'session=abc; theme=dark'],
        ['Cookie', 'lang=en'],
      ],
    });
    assert.deepEqual(event, {
      version: '2.0',
      routeKey: 'GET /items/{id}',
      rawPath: '/items/a b',
      rawQueryString: 'tag=x&tag=y%2Fz&q=a+b&empty',
      cookies: ['session=abc', 'theme=dark', 'lang=en'],
      headers: {
        host: host(),
        'user-agent': 'curl/8.5.0',
        accept: '*/*',
        'x-repeat': 'one,two',
      },
      queryStringParameters: { tag: 'x,y/z', q: 'a b', empty: '' },
      requestContext: {
        accountId: ACCOUNT,
        apiId: 'lambdock',
        domainName: host(),
        domainPrefix: '127',
        http: {
          method: 'GET',
          path: '/items/a b',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'curl/8.5.0',
        },
        requestId: rc.requestId,
        routeKey: 'GET /items/{id}',
        stage: '$default',
        time: rc.time,
        timeEpoch: rc.timeEpoch,
      },
      pathParameters: { id: 'a b' },
      isBase64Encoded: false,
    });
    assert.equal(answer.status, 200);
    const body = answer.text;
    assert.deepEqual(stableHeaders(answer), [
      ['x-amzn-requestid', rc.requestId],
      ['content-type', 'application/json'],
      ['x-echo-format', '2.0'],
      ['x-echo-method', 'GET'],
      ['set-cookie', 'session=abc; Path=/'],
      ['set-cookie', 'theme=dark; Path=/'],
      ['set-cookie', 'lang=en; Path=/'],
      ['apigw-requestid', rc.requestId],
      ['content-length', String(Buffer.byteLength(body))],
    ]);
    await deleteRoutes([route.RouteId as string]);
  });

  it('routes any method and depth through ANY /{proxy+}: JSON and binary bodies, status from the function', async () => {
    const id = await createRoute({ RouteKey: 'ANY /{proxy+}', FunctionName: fn.echo });
    try {
      const json = await echoed({
        method: 'POST',
        path: '/deep/er/p%C3%A9/?status=201',
        headers: [['Content-Type', 'application/json']],
        body: '{"k":"v"}',
      });
      assert.equal(json.res.status, 201);
      assert.deepEqual(json.event, {
        version: '2.0',
        routeKey: 'ANY /{proxy+}',
        rawPath: '/deep/er/pé/',
        rawQueryString: 'status=201',
        headers: {
          host: host(),
          'content-type': 'application/json',
          'content-length': '9',
        },
        queryStringParameters: { status: '201' },
        requestContext: {
          accountId: ACCOUNT,
          apiId: 'lambdock',
          domainName: host(),
          domainPrefix: '127',
          http: {
            method: 'POST',
            path: '/deep/er/pé/',
            protocol: 'HTTP/1.1',
            sourceIp: '127.0.0.1',
            userAgent: '',
          },
          requestId: json.rc.requestId,
          routeKey: 'ANY /{proxy+}',
          stage: '$default',
          time: json.rc.time,
          timeEpoch: json.rc.timeEpoch,
        },
        body: '{"k":"v"}',
        pathParameters: { proxy: 'deep/er/pé/' },
        isBase64Encoded: false,
      });

      const binary = await echoed({
        method: 'PUT',
        path: '/bin',
        headers: [['Content-Type', 'application/octet-stream']],
        body: BYTES,
      });
      const { body, isBase64Encoded, pathParameters, headers } = binary.event;
      assert.deepEqual(
        { body, isBase64Encoded, pathParameters, headers },
        {
          body: BYTES.toString('base64'),
          isBase64Encoded: true,
          pathParameters: { proxy: 'bin' },
          headers: {
            host: host(),
            'content-type': 'application/octet-stream',
            'content-length': '256',
          },
        },
      );
      const notUtf8 = await echoed({
        method: 'POST',
        path: '/text',
        headers: [['Content-Type', 'text/plain']],
        body: Buffer.from([0xff, 0xfe, 0x41]),
      });
      assert.deepEqual([notUtf8.event.body, notUtf8.event.isBase64Encoded], ['//5B', true]);

      // A caller's request id never becomes the invocation's: ids repeat, invocations must not.
      const repeated: Array<[unknown, unknown]> = [];
      for (const path of ['/same/1', '/same/2']) {
        const { event, rc } = await echoed({ path, headers: [['X-Request-Id', 'fixed-id']] });
        repeated.push([event.rawPath, rc.requestId]);
      }
      assert.deepEqual(
        repeated.map(([path]) => path),
        ['/same/1', '/same/2'],
      );
      assert.notEqual(repeated[0]?.[1], repeated[1]?.[1]);

      // `/` is not under {proxy+} (it needs one character) and gateway paths are never routes.
      await expectUnknownOperation('GET', '/');
      await expectUnknownOperation('GET', '/2015-03-31/functions/x/nothing-here');
      await expectUnknownOperation('POST', '/lambdock/v1/nothing-here');
    } finally {
      await deleteRoutes([id]);
    }
    await expectUnknownOperation('GET', '/deep/er');
  });

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

  it('answers function errors, missing functions, oversize bodies, throttles and integration timeouts per format', async () => {
    const routes = [
      { RouteKey: 'POST /fail/v1', FunctionName: fn.throws, PayloadFormatVersion: '1.0' },
      { RouteKey: 'POST /fail/v2', FunctionName: fn.throws },
      { RouteKey: 'GET /ghost/v1', FunctionName: 'no-such-fn', PayloadFormatVersion: '1.0' },
      { RouteKey: 'GET /ghost/v2', FunctionName: 'no-such-fn' },
      {
        RouteKey: 'GET /slow/v1',
        FunctionName: fn.slow,
        PayloadFormatVersion: '1.0',
        TimeoutInMillis: 500,
      },
      { RouteKey: 'GET /slow/v2', FunctionName: fn.slow, TimeoutInMillis: 500 },
    ];
    const ids: string[] = [];
    for (const route of routes) ids.push(await createRoute(route));
    try {
      await expectError({ method: 'POST', path: '/fail/v1', body: '{}' }, 502, V1_FAILED);
      await expectError({ method: 'POST', path: '/fail/v2', body: '{}' }, 500, V2_FAILED);
      await expectError({ path: '/ghost/v1' }, 502, V1_FAILED);
      await expectError({ path: '/ghost/v2' }, 500, V2_FAILED);
      // Refused on the declared length, before a byte of the body (which is never sent) is read.
      const tooBig = String(SYNC_PAYLOAD_LIMIT_BYTES + 1);
      const refused = await call({
        method: 'POST',
        path: '/fail/v2',
        headers: [
          ['Connection', 'keep-alive'],
          ['Content-Length', tooBig],
        ],
      });
      assert.deepEqual(
        [refused.status, refused.text, headerValues(refused, 'connection')],
        [413, '{"message":"Request Entity Too Large"}', ['close']],
      );
      const FunctionName = fn.throws;
      await ctx.client.send(
        new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: 0 }),
      );
      for (const path of ['/fail/v1', '/fail/v2'])
        await expectError(
          { method: 'POST', path, body: '{}' },
          429,
          '{"message":"Too Many Requests"}',
        );
      await ctx.client.send(new DeleteFunctionConcurrencyCommand({ FunctionName }));
      for (const [path, body] of [
        ['/slow/v1', '{"message": "Endpoint request timed out"}'],
        ['/slow/v2', '{"message":"Gateway Timeout"}'],
      ] as const) {
        const started = Date.now();
        await expectError({ path }, 504, body);
        const elapsed = Date.now() - started;
        // Well before the function's own 5 s timeout.
        assert.ok(elapsed >= 500 && elapsed < 3000, `${path} answered after ${elapsed} ms`);
      }
    } finally {
      await deleteRoutes(ids);
    }
  });

  it('picks the most specific route: literal over {param} over {proxy+}, a method over ANY, then $default', async () => {
    const keys = [
      'GET /pre/{id}',
      'GET /pre/special',
      'ANY /pre/special',
      'ANY /pre/{rest+}',
      '$default',
    ];
    const ids: string[] = [];
    for (const key of keys) ids.push(await createRoute({ RouteKey: key, FunctionName: fn.echo }));
    try {
      const listed = JSON.parse((await api('GET', '')).text) as { Items: Json[] };
      assert.deepEqual(
        listed.Items.map((r) => r.RouteKey).sort(),
        [...keys].sort(),
        'only this test’s routes exist',
      );
      const cases: Array<[string, string, string, Json | undefined]> = [
        ['GET', '/pre/special', 'GET /pre/special', undefined],
        ['POST', '/pre/special', 'ANY /pre/special', undefined],
        ['GET', '/pre/42', 'GET /pre/{id}', { id: '42' }],
        ['DELETE', '/pre/42', 'ANY /pre/{rest+}', { rest: '42' }],
        ['GET', '/pre/42/more/', 'ANY /pre/{rest+}', { rest: '42/more/' }],
        ['GET', '/elsewhere/x', '$default', undefined],
        ['PATCH', '/', '$default', undefined],
      ];
      for (const [method, path, routeKey, pathParameters] of cases) {
        const { event, rc } = await echoed({ method, path });
        assert.deepEqual(
          [event.routeKey, rc.routeKey, event.pathParameters],
          [routeKey, routeKey, pathParameters],
          `${method} ${path}`,
        );
      }
      // Even $default never takes a path of the Lambda API.
      await expectUnknownOperation('GET', '/2015-03-31/nothing-here');
    } finally {
      await deleteRoutes(ids);
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

  it('counts route requests by route key and status in /metrics', async () => {
    const metrics = await (await fetch(`${ctx.stack.endpoint}/metrics`)).text();
    const count = (route: string, status: string): number => {
      const line = metrics
        .split('\n')
        .find((l) =>
          l.startsWith(`lambdock_route_requests_total{route="${route}",status="${status}",`),
        );
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    assert.deepEqual(
      [
        count('GET /items/{id}', '200'),
        count('ANY /{proxy+}', '201'),
        count('ANY /{proxy+}', '200'),
        count('POST /fail/v1', '502'),
        count('POST /fail/v2', '500'),
        count('POST /fail/v2', '413'),
        count('POST /fail/v2', '429'),
        count('GET /slow/v2', '504'),
        count('$default', '200'),
      ],
      [1, 1, 4, 1, 1, 1, 1, 1, 2],
      metrics
        .split('\n')
        .filter((l) => l.startsWith('lambdock_route_requests_total'))
        .join('\n'),
    );
  });
});
