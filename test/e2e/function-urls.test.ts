/**
 * End to end for Lambda function URLs on a running stack (gateway + worker processes, real
 * Redis, real Docker): the URL config through the real AWS SDK (key sets, status codes and
 * messages as AWS records them), invocation through the URL with the payload 2.0 event, response
 * mapping, the unknown-URL 403, CORS preflights and CORS headers on actual responses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionUrlConfigCommand,
  GetFunctionUrlConfigCommand,
  ListFunctionUrlConfigsCommand,
  UpdateFunctionUrlConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  ARN,
  awsError,
  BYTES,
  CORS,
  corsOf,
  ISO,
  keysOf,
  NO_RESOURCE,
  ORIGIN,
  useUrlSuite,
  UUID,
  type Json,
} from '../helpers/function-urls.js';
import { headerValues } from '../helpers/raw-http.js';

describe('function URLs on the real stack', () => {
  const { ctx, fn, host, call, createUrl, expectForbiddenNull } = useUrlSuite();

  it('creates, reads, updates, lists and deletes a URL config with AWS’s key sets', async () => {
    const FunctionName = fn.crud;
    const created = await ctx.client.send(
      new CreateFunctionUrlConfigCommand({ FunctionName, AuthType: 'NONE' }),
    );
    assert.equal(created.$metadata.httpStatusCode, 201);
    assert.deepEqual(keysOf(created), ['AuthType', 'CreationTime', 'FunctionArn', 'FunctionUrl']);
    assert.deepEqual([created.AuthType, created.FunctionArn], ['NONE', `${ARN}${FunctionName}`]);
    assert.match(created.CreationTime ?? '', ISO);
    assert.match(
      created.FunctionUrl ?? '',
      new RegExp(`^http://${host()}/lambda-url/[a-z2-7]{32}/$`),
    );
    await assert.rejects(
      ctx.client.send(new CreateFunctionUrlConfigCommand({ FunctionName, AuthType: 'NONE' })),
      awsError(
        'ResourceConflictException',
        409,
        `Failed to create function url config for [functionArn = ${ARN}${FunctionName}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
      ),
    );

    const got = await ctx.client.send(new GetFunctionUrlConfigCommand({ FunctionName }));
    assert.equal(got.$metadata.httpStatusCode, 200);
    assert.deepEqual(keysOf(got), [
      'AuthType',
      'CreationTime',
      'FunctionArn',
      'FunctionUrl',
      'InvokeMode',
      'LastModifiedTime',
    ]);
    assert.deepEqual(
      [got.FunctionUrl, got.CreationTime, got.InvokeMode],
      [created.FunctionUrl, created.CreationTime, 'BUFFERED'],
    );

    const updated = await ctx.client.send(
      new UpdateFunctionUrlConfigCommand({ FunctionName, AuthType: 'AWS_IAM' }),
    );
    assert.equal(updated.$metadata.httpStatusCode, 200);
    assert.deepEqual(keysOf(updated), [
      'AuthType',
      'CreationTime',
      'FunctionArn',
      'FunctionUrl',
      'LastModifiedTime',
    ]);
    assert.deepEqual(
      [updated.AuthType, updated.FunctionUrl, updated.CreationTime],
      ['AWS_IAM', created.FunctionUrl, created.CreationTime],
    );
    assert.ok((updated.LastModifiedTime ?? '') >= (created.CreationTime ?? ''));
    const iam = await call({ path: new URL(created.FunctionUrl ?? '').pathname });
    assert.deepEqual(
      [iam.status, headerValues(iam, 'x-amzn-ErrorType')],
      [403, ['AccessDeniedException']],
    );
    assert.deepEqual(JSON.parse(iam.text), {
      Message:
        'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
    });

    const moded = await ctx.client.send(
      new UpdateFunctionUrlConfigCommand({ FunctionName, InvokeMode: 'BUFFERED' }),
    );
    assert.deepEqual([moded.InvokeMode, moded.AuthType], ['BUFFERED', 'AWS_IAM']);
    const listed = await ctx.client.send(new ListFunctionUrlConfigsCommand({ FunctionName }));
    assert.deepEqual(keysOf(listed), ['FunctionUrlConfigs']);
    assert.deepEqual(listed.FunctionUrlConfigs?.map(keysOf), [
      ['AuthType', 'CreationTime', 'FunctionArn', 'FunctionUrl', 'InvokeMode', 'LastModifiedTime'],
    ]);
    assert.equal(listed.FunctionUrlConfigs?.[0]?.FunctionUrl, created.FunctionUrl);

    const deleted = await ctx.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName }));
    assert.equal(deleted.$metadata.httpStatusCode, 204);
    const gone = awsError('ResourceNotFoundException', 404, NO_RESOURCE);
    await assert.rejects(ctx.client.send(new GetFunctionUrlConfigCommand({ FunctionName })), gone);
    await assert.rejects(
      ctx.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName })),
      gone,
    );
    await assert.rejects(
      ctx.client.send(new UpdateFunctionUrlConfigCommand({ FunctionName, AuthType: 'NONE' })),
      gone,
    );
    const empty = await ctx.client.send(new ListFunctionUrlConfigsCommand({ FunctionName }));
    assert.deepEqual(empty.FunctionUrlConfigs, []);
    await expectForbiddenNull({ path: new URL(created.FunctionUrl ?? '').pathname });

    const again = await ctx.client.send(
      new CreateFunctionUrlConfigCommand({
        FunctionName,
        AuthType: 'NONE',
        InvokeMode: 'BUFFERED',
      }),
    );
    assert.deepEqual(keysOf(again), [
      'AuthType',
      'CreationTime',
      'FunctionArn',
      'FunctionUrl',
      'InvokeMode',
    ]);
    assert.equal(again.FunctionUrl, created.FunctionUrl, 'a function keeps its URL');
    await ctx.client.send(new DeleteFunctionUrlConfigCommand({ FunctionName }));
  });

  it('invokes through the URL with the payload 2.0 event AWS records', async () => {
    const { id, base } = await createUrl(fn.echo);
    const started = Date.now();
    const res = await call({
      method: 'POST',
      path: `${base}custom_path/extend?test_param=test_value`,
      headers: [
        ['User-Agent', 'python-requests/testing'],
        ['Accept-Encoding', 'gzip, deflate'],
        ['Accept', '*/*'],
      ],
      body: "{'key':'value'}",
    });
    assert.equal(res.status, 200, res.text);
    const event = (JSON.parse(res.text) as { event: Json }).event;
    const rc = event.requestContext as Json;
    assert.match(rc.requestId as string, UUID);
    assert.ok((rc.timeEpoch as number) >= started - 1000 && (rc.timeEpoch as number) <= Date.now());
    assert.match(rc.time as string, /^\d\d\/[A-Z][a-z]{2}\/\d{4}:\d\d:\d\d:\d\d \+0000$/);
    assert.deepEqual(event, {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/custom_path/extend',
      rawQueryString: 'test_param=test_value',
      headers: {
        host: host(),
        'user-agent': 'python-requests/testing',
        'accept-encoding': 'gzip, deflate',
        accept: '*/*',
        'content-length': '15',
      },
      queryStringParameters: { test_param: 'test_value' },
      requestContext: {
        accountId: 'anonymous',
        apiId: id,
        domainName: host(),
        domainPrefix: id,
        http: {
          method: 'POST',
          path: '/custom_path/extend',
          protocol: 'HTTP/1.1',
          sourceIp: '127.0.0.1',
          userAgent: 'python-requests/testing',
        },
        requestId: rc.requestId,
        routeKey: '$default',
        stage: '$default',
        time: rc.time,
        timeEpoch: rc.timeEpoch,
      },
      body: 'eydrZXknOid2YWx1ZSd9',
      isBase64Encoded: true,
    });
    assert.deepEqual(headerValues(res, 'x-amzn-RequestId'), [rc.requestId]);
    assert.equal((JSON.parse(res.text) as Json).awsRequestId, rc.requestId, 'one request id');

    // The 2025 echo case: `//` collapsed, escapes kept in the path, repeated query keys joined.
    const echo = await call({
      method: 'POST',
      path: `${base}/pa2%Fth/1?q=query&multiQuery=foo&multiQuery=%2Fbar`,
      headers: [
        ['content-type', 'application/json'],
        ['ExTrA-HeadErs', 'With WeiRd CapS'],
        ['Cookie', 'a=1; b=2'],
      ],
      body: '{"foo": "bar"}',
    });
    const second = (JSON.parse(echo.text) as { event: Json }).event;
    const { rawPath, queryStringParameters, headers, cookies, body, isBase64Encoded } = second;
    assert.deepEqual(
      { rawPath, path: (second.requestContext as { http: Json }).http.path },
      { rawPath: '/pa2%Fth/1', path: '/pa2%Fth/1' },
    );
    assert.deepEqual(
      { queryStringParameters, headers, cookies, body, isBase64Encoded },
      {
        queryStringParameters: { q: 'query', multiQuery: 'foo,/bar' },
        headers: {
          host: host(),
          'content-type': 'application/json',
          'extra-headers': 'With WeiRd CapS',
          'content-length': '14',
        },
        cookies: ['a=1', 'b=2'],
        body: '{"foo": "bar"}',
        isBase64Encoded: false,
      },
    );
    assert.deepEqual(headerValues(echo, 'set-cookie'), ['a=1; Path=/', 'b=2; Path=/']);

    // A caller's request id never becomes the invocation's: ids repeat, invocations must not.
    const ids = new Set<unknown>();
    for (const path of ['one', 'two']) {
      const again = await call({
        path: `${base}${path}`,
        headers: [['x-amzn-RequestId', 'fixed']],
      });
      const seen = (JSON.parse(again.text) as { event: Json }).event;
      assert.equal(seen.rawPath, `/${path}`);
      ids.add((seen.requestContext as Json).requestId);
      assert.deepEqual(headerValues(again, 'x-amzn-RequestId'), [
        (seen.requestContext as Json).requestId,
      ]);
    }
    assert.equal(ids.size, 2);
    assert.ok(!ids.has('fixed'));

    // AWS's own addressing: the URL id as the first label of the Host.
    const awsHost = `${id}.lambda-url.us-east-1.on.aws`;
    const byHost = await call({ path: '/by/host?x=1', host: awsHost });
    const hosted = (JSON.parse(byHost.text) as { event: Json }).event;
    const hostedRc = hosted.requestContext as Json;
    assert.deepEqual(
      [hosted.rawPath, hostedRc.domainName, hostedRc.domainPrefix, hostedRc.apiId],
      ['/by/host', awsHost, id, id],
    );
  });

  it('maps function outputs the way function URLs do; errors are 502 Internal Server Error', async () => {
    const { base } = await createUrl(fn.shapes);
    const cases: Array<[string, number, string]> = [
      ['shortcut', 200, '{"hello":"world","n":[1,2]}'],
      ['string', 200, 'hello'],
      ['object-body', 200, '{"a":1}'],
      ['other', 204, ''],
      ['bad-status', 502, 'Internal Server Error'],
    ];
    for (const [kind, status, text] of cases) {
      const res = await call({ path: `${base}${kind}` });
      assert.deepEqual(
        [res.status, res.text, headerValues(res, 'content-type')],
        [status, text, ['application/json']],
        kind,
      );
    }
    const binary = await call({ path: `${base}binary` });
    assert.deepEqual([binary.status, headerValues(binary, 'content-type')], [200, ['image/png']]);
    assert.deepEqual(binary.body, BYTES);

    const { base: failing } = await createUrl(fn.throws);
    const failed = await call({ method: 'POST', path: failing, body: '{}' });
    assert.deepEqual([failed.status, failed.text], [502, 'Internal Server Error']);
  });

  it('answers 403 {"Message":null} for a URL id that does not exist, by path or by host', async () => {
    const unknown = 'a'.repeat(32);
    await expectForbiddenNull({ path: `/lambda-url/${unknown}/` });
    await expectForbiddenNull({ method: 'POST', path: `/lambda-url/${unknown}/x?y=1`, body: '{}' });
    await expectForbiddenNull({
      path: '/anything',
      host: `${unknown}.lambda-url.us-east-1.on.aws`,
    });
  });

  it('answers a browser preflight itself and adds CORS headers to actual responses', async () => {
    const { base } = await createUrl(fn.crud, CORS);
    const preflight = await call({
      method: 'OPTIONS',
      path: `${base}items`,
      headers: [
        ['Origin', ORIGIN],
        ['Access-Control-Request-Method', 'POST'],
        ['Access-Control-Request-Headers', 'x-custom'],
      ],
    });
    assert.deepEqual([preflight.status, preflight.text], [200, ''], 'the function never ran');
    assert.deepEqual(corsOf(preflight), [
      ['access-control-allow-origin', ORIGIN],
      ['vary', 'Origin'],
      ['access-control-allow-credentials', 'true'],
      ['access-control-allow-methods', 'GET,POST'],
      ['access-control-allow-headers', 'x-custom,content-type'],
      ['access-control-max-age', '600'],
    ]);

    const refused = await call({
      method: 'OPTIONS',
      path: `${base}items`,
      headers: [
        ['Origin', 'https://evil.example.net'],
        ['Access-Control-Request-Method', 'POST'],
      ],
    });
    assert.deepEqual([refused.status, refused.text, corsOf(refused)], [200, '', []]);

    const actual = await call({ path: `${base}items`, headers: [['Origin', ORIGIN]] });
    assert.equal(actual.status, 200, actual.text);
    assert.deepEqual(corsOf(actual), [
      ['access-control-allow-origin', ORIGIN],
      ['vary', 'Origin'],
      ['access-control-allow-credentials', 'true'],
      ['access-control-expose-headers', 'x-echo-format'],
    ]);
    const other = await call({
      path: `${base}items`,
      headers: [['Origin', 'https://evil.example.net']],
    });
    assert.deepEqual([other.status, corsOf(other)], [200, []], 'the function ran, no CORS headers');

    // Without a CORS config an OPTIONS request is the function's to answer.
    const echoUrl = await ctx.client.send(
      new GetFunctionUrlConfigCommand({ FunctionName: fn.echo }),
    );
    const plain = new URL(echoUrl.FunctionUrl ?? '').pathname;
    const passed = await call({
      method: 'OPTIONS',
      path: `${plain}items`,
      headers: [
        ['Origin', ORIGIN],
        ['Access-Control-Request-Method', 'POST'],
      ],
    });
    assert.equal(passed.status, 200, passed.text);
    assert.deepEqual(headerValues(passed, 'x-echo-method'), ['OPTIONS']);
    assert.deepEqual(corsOf(passed), []);
  });

  it('deletes a function’s URL with the function', async () => {
    const url = await ctx.client.send(new GetFunctionUrlConfigCommand({ FunctionName: fn.crud }));
    await ctx.client.send(new DeleteFunctionCommand({ FunctionName: fn.crud }));
    await expectForbiddenNull({ path: new URL(url.FunctionUrl ?? '').pathname });
    await assert.rejects(
      ctx.client.send(new GetFunctionUrlConfigCommand({ FunctionName: fn.crud })),
      awsError('ResourceNotFoundException', 404, NO_RESOURCE),
    );
  });

  it('counts function URL requests by function and status in /metrics', async () => {
    const metrics = await (await fetch(`${ctx.stack.endpoint}/metrics`)).text();
    const count = (fnName: string, status: string): number => {
      const prefix = `lambdock_function_url_requests_total{function="${fnName}",status="${status}",`;
      const line = metrics.split('\n').find((l) => l.startsWith(prefix));
      return line === undefined ? 0 : Number(line.split(' ').pop());
    };
    assert.deepEqual(
      [count(fn.shapes, '200'), count(fn.shapes, '502'), count(fn.throws, '502'), count('', '403')],
      [4, 1, 1, 5],
      metrics
        .split('\n')
        .filter((l) => l.startsWith('lambdock_function_url_requests_total'))
        .join('\n'),
    );
  });
});
