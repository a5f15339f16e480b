/**
 * End to end for user HTTP routes on a running stack (gateway + worker processes, real Redis,
 * real Docker): routes are created through `/lambdock/v1/routes` and called like curl would
 * (raw paths, repeated headers and query keys, cookies, binary bodies). The echo fixture hands
 * back the exact event it got, so every event is asserted whole; the values that vary per
 * request (request id, time) are checked by shape and then taken over.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DeleteFunctionConcurrencyCommand,
  PutFunctionConcurrencyCommand,
} from '@aws-sdk/client-lambda';
import {
  ACCOUNT,
  BYTES,
  SYNC_PAYLOAD_LIMIT_BYTES,
  stableHeaders,
  useRouteSuite,
  V1_FAILED,
  V2_FAILED,
  type Json,
} from '../helpers/http-routes.js';
import { headerValues } from '../helpers/raw-http.js';

describe('HTTP routes (API Gateway v1 and v2 events) on the real stack', () => {
  const {
    ctx,
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
      // The connection stays open to take the rest and drop it (bounded), so that a client still
      // sending gets this answer rather than a reset: it is not announced as closing.
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
        [413, '{"message":"Request Entity Too Large"}', ['keep-alive']],
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
