import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import {
  activeRecord,
  createRequestBody,
  createTestGateway,
  invokePath,
  reply,
  seed,
  type TestGateway,
} from '../helpers/test-app.js';
import { gzipSync } from 'node:zlib';
import { presignUrl, send, signRequest, type SignOptions } from '../helpers/signing.js';

const KEYS = 'AKIDGOOD:good-secret,AKIDOTHER:other-secret';
const servers: Server[] = [];

after(() => {
  for (const server of servers) server.close();
});

async function serve(listener: RequestListener): Promise<number> {
  const server = createServer(listener).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as AddressInfo).port;
}

async function signedGateway(): Promise<{ gw: TestGateway; port: number; expressPort: number }> {
  const gw = createTestGateway({ ACCESS_KEYS: KEYS });
  await seed(gw, activeRecord('demo'));
  gw.queue.worker = (job) => reply({ requestId: job.requestId }, '"ok"');
  return { gw, port: await serve(gw.app), expressPort: await serve(gw.expressApp) };
}

function signing(
  port: number,
  options: Omit<SignOptions, 'host' | 'accessKeyId' | 'secretAccessKey'> &
    Partial<Pick<SignOptions, 'accessKeyId' | 'secretAccessKey'>>,
): SignOptions {
  return {
    host: `127.0.0.1:${port}`,
    accessKeyId: 'AKIDGOOD',
    secretAccessKey: 'good-secret',
    ...options,
  };
}

function awsError(
  answer: { status: number; headers: Record<string, unknown>; body: string },
  type: string,
): string {
  assert.equal(answer.status, 403, answer.body);
  assert.equal(answer.headers['x-amzn-errortype'], type);
  const body = JSON.parse(answer.body) as { message: string };
  assert.deepEqual(Object.keys(body), ['message']);
  return body.message;
}

describe('SigV4 signatures with ACCESS_KEYS', () => {
  it('accepts requests signed by a listed key: JSON bodies, look-ups and Invoke on both paths', async () => {
    const { gw, port, expressPort } = await signedGateway();
    const create = await send(
      port,
      await signRequest(
        signing(port, {
          method: 'POST',
          path: '/2015-03-31/functions',
          body: JSON.stringify(createRequestBody({ FunctionName: 'made' })),
          accessKeyId: 'AKIDOTHER',
          secretAccessKey: 'other-secret',
        }),
      ),
    );
    assert.equal(create.status, 201, create.body);
    assert.equal((JSON.parse(create.body) as { FunctionName: string }).FunctionName, 'made');
    assert.equal((await gw.registry.get('made'))?.name, 'made');

    const get = await send(
      port,
      await signRequest(signing(port, { method: 'GET', path: '/2015-03-31/functions/demo' })),
    );
    assert.equal(get.status, 200, get.body);

    for (const target of [port, expressPort]) {
      const invoked = await send(
        target,
        await signRequest(
          signing(target, { method: 'POST', path: invokePath('demo'), body: '{"n":1}' }),
        ),
      );
      assert.equal(invoked.status, 200, invoked.body);
      assert.equal(invoked.body, '"ok"');
    }
    assert.deepEqual(
      gw.queue.sync.map((job) => job.payload.toString()),
      ['{"n":1}', '{"n":1}'],
    );
  });

  it('refuses unsigned, unknown-key, wrong-secret and tampered requests with AWS’s errors', async () => {
    const { gw, port } = await signedGateway();
    const unsigned = await send(port, {
      method: 'GET',
      host: `127.0.0.1:${port}`,
      path: '/2015-03-31/functions',
      rawQuery: '',
      headers: {},
      body: '',
    });
    assert.equal(
      awsError(unsigned, 'MissingAuthenticationTokenException'),
      'Missing Authentication Token',
    );

    const unknown = await send(
      port,
      await signRequest(
        signing(port, { method: 'GET', path: '/2015-03-31/functions', accessKeyId: 'AKIDNOBODY' }),
      ),
    );
    assert.equal(
      awsError(unknown, 'UnrecognizedClientException'),
      'The security token included in the request is invalid.',
    );

    const wrongSecret = await send(
      port,
      await signRequest(
        signing(port, { method: 'GET', path: '/2015-03-31/functions', secretAccessKey: 'guess' }),
      ),
    );
    assert.match(
      awsError(wrongSecret, 'InvalidSignatureException'),
      /^The request signature we calculated does not match the signature you provided\./,
    );

    // Signed for one payload, sent with another: nothing is queued.
    const signed = await signRequest(
      signing(port, { method: 'POST', path: invokePath('demo'), body: '{"n":1}' }),
    );
    const tampered = await send(port, signed, '{"n":2}');
    awsError(tampered, 'InvalidSignatureException');
    // Signed for one function, sent to another.
    const moved = await send(port, { ...signed, path: invokePath('made') });
    awsError(moved, 'InvalidSignatureException');
    const deleted = await send(
      port,
      await signRequest(
        signing(port, {
          method: 'DELETE',
          path: '/2015-03-31/functions/demo',
          secretAccessKey: 'x',
        }),
      ),
    );
    awsError(deleted, 'InvalidSignatureException');
    assert.equal(gw.queue.sync.length, 0);
    assert.equal((await gw.registry.get('demo'))?.name, 'demo');
  });

  it('refuses a signature dated more than 5 minutes off, or scoped to another service', async () => {
    const { port } = await signedGateway();
    const old = await send(
      port,
      await signRequest(
        signing(port, {
          method: 'GET',
          path: '/2015-03-31/functions',
          signingDate: new Date(Date.now() - 6 * 60_000),
        }),
      ),
    );
    assert.match(
      awsError(old, 'InvalidSignatureException'),
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
    const future = await send(
      port,
      await signRequest(
        signing(port, {
          method: 'GET',
          path: '/2015-03-31/functions',
          signingDate: new Date(Date.now() + 6 * 60_000),
        }),
      ),
    );
    assert.match(awsError(future, 'InvalidSignatureException'), /^Signature not yet current: /);
    const s3 = await send(
      port,
      await signRequest(
        signing(port, { method: 'GET', path: '/2015-03-31/functions', service: 's3' }),
      ),
    );
    assert.equal(
      awsError(s3, 'InvalidSignatureException'),
      "Credential should be scoped to correct service: 'lambda'. ",
    );
    const partial = await send(port, {
      method: 'GET',
      host: `127.0.0.1:${port}`,
      path: '/2015-03-31/functions',
      rawQuery: '',
      headers: {
        authorization:
          'AWS4-HMAC-SHA256 Credential=AKIDGOOD/20261207/us-east-1/lambda/aws4_request',
      },
      body: '',
    });
    assert.match(
      awsError(partial, 'IncompleteSignatureException'),
      /^Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\./,
    );
  });

  it('checks the key before reading a body, then applies Invoke’s own limit to it', async () => {
    const gw = createTestGateway({ ACCESS_KEYS: KEYS, SYNC_PAYLOAD_LIMIT_BYTES: '64' });
    await seed(gw, activeRecord('demo'));
    const port = await serve(gw.app);
    const big = JSON.stringify({ pad: 'x'.repeat(100) });
    const unknown = await send(
      port,
      await signRequest(
        signing(port, {
          method: 'POST',
          path: invokePath('demo'),
          body: big,
          accessKeyId: 'AKIDNOBODY',
        }),
      ),
    );
    awsError(unknown, 'UnrecognizedClientException');
    const tooBig = await send(
      port,
      await signRequest(signing(port, { method: 'POST', path: invokePath('demo'), body: big })),
    );
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.headers['x-amzn-errortype'], 'RequestEntityTooLargeException');
    assert.equal(
      (JSON.parse(tooBig.body) as { message: string }).message,
      'Request must be smaller than 64 bytes for the InvokeFunction operation',
    );
    assert.equal(gw.queue.sync.length, 0);
  });

  it('checks API paths in any letter case, as Express routes them', async () => {
    const { port } = await signedGateway();
    for (const [method, path] of [
      ['GET', '/LAMBDOCK/v1/routes'],
      ['POST', '/Lambdock/v1/queues/x/purge'],
      ['GET', '/2015-03-31/FUNCTIONS'],
    ] as const) {
      const answer = await fetch(`http://127.0.0.1:${port}${path}`, { method });
      assert.equal(answer.status, 403, `${method} ${path}`);
      assert.equal(answer.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    }
  });

  it('reads at most the limit of the operation the path names', async () => {
    const { port } = await signedGateway();
    const big = JSON.stringify({
      Name: 'a',
      FunctionVersion: '1',
      Description: 'x'.repeat(1_100_000),
    });
    const answer = await send(
      port,
      await signRequest(
        signing(port, { method: 'POST', path: '/2015-03-31/functions/demo/aliases', body: big }),
      ),
    );
    assert.equal(answer.status, 413);
    assert.equal(
      (JSON.parse(answer.body) as { message: string }).message,
      'Request must be smaller than 1048576 bytes for the requested operation',
    );
  });

  it('refuses what its signature does not cover: dot segments, a plus read as a space', async () => {
    const { port } = await signedGateway();
    const get = await signRequest(
      signing(port, { method: 'GET', path: '/2015-03-31/functions/demo' }),
    );
    const dotted = await send(port, { ...get, path: '/2015-03-31/functions/demo/aliases/..' });
    assert.match(awsError(dotted, 'InvalidSignatureException'), /'\.' or '\.\.' segment/);
    const list = await signRequest(
      signing(port, { method: 'GET', path: '/2015-03-31/functions', query: { Marker: 'a+b' } }),
    );
    assert.equal(list.rawQuery, 'Marker=a%2Bb');
    assert.equal((await send(port, list)).status, 200);
    const plus = await send(port, { ...list, rawQuery: 'Marker=a+b' });
    awsError(plus, 'InvalidSignatureException');
  });

  it('parses a signed JSON body exactly as an unsigned one: encodings, charsets, a BOM', async () => {
    const json = JSON.stringify({ Description: 'same' });
    const cases: Array<[string, Buffer, Record<string, string>]> = [
      ['gzip', gzipSync(json), { 'content-encoding': 'gzip' }],
      ['x-gzip', gzipSync(json), { 'content-encoding': 'x-gzip' }],
      ['bad gzip', Buffer.from(json), { 'content-encoding': 'gzip' }],
      ['empty gzip', gzipSync(''), { 'content-encoding': 'gzip' }],
      ['BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(json)]), {}],
      [
        'utf-16le',
        Buffer.from(json, 'utf16le'),
        { 'content-type': 'application/json; charset=utf-16le' },
      ],
      [
        'latin1',
        Buffer.from(json, 'latin1'),
        { 'content-type': 'application/json; charset=latin1' },
      ],
    ];
    for (const [label, body, headers] of cases) {
      const answers = [];
      for (const keys of [KEYS, '']) {
        const gw = createTestGateway(keys === '' ? {} : { ACCESS_KEYS: keys });
        await seed(gw, activeRecord('demo'));
        const port = await serve(gw.app);
        const signed = await signRequest(
          signing(port, {
            method: 'PUT',
            path: '/2015-03-31/functions/demo/configuration',
            body,
            headers,
          }),
        );
        const answer = await send(port, signed);
        answers.push([
          answer.status,
          answer.headers['x-amzn-errortype'],
          answer.body.replace(/"RevisionId":"[^"]+"|"LastModified":"[^"]+"/g, ''),
        ]);
      }
      assert.deepEqual(answers[0], answers[1], label);
    }
  });

  it('refuses a query that repeats a name or holds an invalid escape', async () => {
    const { port } = await signedGateway();
    for (const rawQuery of ['MaxItems=1&MaxItems=50', 'Marker=%C3']) {
      const signed = await signRequest(
        signing(port, { method: 'GET', path: '/2015-03-31/functions' }),
      );
      const answer = await send(port, { ...signed, rawQuery });
      assert.match(
        awsError(answer, 'InvalidSignatureException'),
        /^The query repeats a parameter/,
        rawQuery,
      );
    }
  });

  it('takes header values with tabs, and compressed JSON bodies as the body parser does', async () => {
    const { gw, port } = await signedGateway();
    const tabbed = await send(
      port,
      await signRequest(
        signing(port, {
          method: 'GET',
          path: '/2015-03-31/functions/demo',
          headers: { 'x-note': 'a\t b' },
        }),
      ),
    );
    assert.equal(tabbed.status, 200, tabbed.body);
    const zipped = await send(
      port,
      await signRequest(
        signing(port, {
          method: 'POST',
          path: '/2015-03-31/functions',
          body: gzipSync(JSON.stringify(createRequestBody({ FunctionName: 'zipped' }))),
          headers: { 'content-encoding': 'gzip' },
        }),
      ),
    );
    assert.equal(zipped.status, 201, zipped.body);
    assert.equal((await gw.registry.get('zipped'))?.name, 'zipped');
  });

  it('accepts a GET presigned by AWS’s signer, and no body with it', async () => {
    const { port } = await signedGateway();
    const url = await presignUrl(
      signing(port, { method: 'GET', path: '/2015-03-31/functions/demo' }),
      60,
    );
    const got = await fetch(url);
    assert.equal(got.status, 200, await got.clone().text());
    assert.equal(
      ((await got.json()) as { Configuration: { FunctionName: string } }).Configuration
        .FunctionName,
      'demo',
    );
    const other = await fetch(url.replace('/functions/demo?', '/functions/made?'));
    assert.equal(other.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
    const withBody = await fetch(url, { method: 'POST', body: '{}' });
    assert.equal(withBody.status, 403);
  });

  it('leaves health, metrics and unknown user paths to their own rules', async () => {
    const { port } = await signedGateway();
    for (const path of ['/healthz', '/metrics']) {
      const answer = await fetch(`http://127.0.0.1:${port}${path}`);
      assert.equal(answer.status, 200, path);
    }
    // Not an API path: the user routes' own 404, not a signature error.
    const user = await fetch(`http://127.0.0.1:${port}/no-such-route`);
    assert.notEqual(user.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
  });

  it('presigns GetFunction’s Code.Location for 10 minutes with the caller’s key', async () => {
    const { gw, port } = await signedGateway();
    let now = Date.now();
    const clocked = createTestGateway({ ACCESS_KEYS: KEYS }, { now: () => now });
    await seed(clocked, activeRecord('demo'));
    const clockedPort = await serve(clocked.app);
    const get = await send(
      clockedPort,
      await signRequest(
        signing(clockedPort, { method: 'GET', path: '/2015-03-31/functions/demo' }),
      ),
    );
    const location = (JSON.parse(get.body) as { Code: { Location: string } }).Code.Location;
    assert.match(location, /X-Amz-Credential=AKIDGOOD%2F\d{8}%2Fus-east-1%2Flambda%2Faws4_request/);
    assert.match(
      location,
      /X-Amz-Expires=600&X-Amz-SignedHeaders=host&X-Amz-Signature=[0-9a-f]{64}$/,
    );
    const code = await fetch(location);
    assert.equal(code.status, 200);
    assert.ok((await code.arrayBuffer()).byteLength > 0);
    const forged = await fetch(location.replace(/X-Amz-Expires=600/, 'X-Amz-Expires=6000'));
    assert.equal(forged.status, 403);
    assert.equal(forged.headers.get('x-amzn-errortype'), 'InvalidSignatureException');
    now += 601_000;
    const late = await fetch(location);
    assert.equal(late.status, 403);
    assert.equal(((await late.json()) as { message: string }).message, 'Request has expired.');
    // The unsigned link of the unsigned gateway is still refused here.
    const plain = await fetch(`http://127.0.0.1:${port}/2015-03-31/functions/demo/code`);
    assert.equal(plain.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.equal(gw.queue.sync.length, 0);
  });
});

describe('function URLs with AuthType AWS_IAM', () => {
  it('invoke for a listed key’s signature, naming the signer in the event, and answer 403 otherwise', async () => {
    const { gw, port } = await signedGateway();
    const created = await send(
      port,
      await signRequest(
        signing(port, {
          method: 'POST',
          path: '/2021-10-31/functions/demo/url',
          body: JSON.stringify({ AuthType: 'AWS_IAM' }),
        }),
      ),
    );
    assert.equal(created.status, 201, created.body);
    const urlPath = new URL((JSON.parse(created.body) as { FunctionUrl: string }).FunctionUrl)
      .pathname;

    const signed = await signRequest(
      signing(port, {
        method: 'POST',
        path: `${urlPath}items`,
        query: { q: 'a b' },
        body: '{"k":1}',
      }),
    );
    const answer = await send(port, signed);
    assert.equal(answer.status, 200, answer.body);
    assert.equal(answer.body, 'ok');
    const event = JSON.parse(gw.queue.sync[0]?.payload.toString() ?? '{}') as {
      rawPath: string;
      requestContext: { accountId: string; authorizer: { iam: Record<string, unknown> } };
    };
    assert.equal(event.rawPath, '/items');
    assert.equal(event.requestContext.accountId, gw.settings.accountId);
    assert.deepEqual(event.requestContext.authorizer.iam, {
      accessKey: 'AKIDGOOD',
      accountId: gw.settings.accountId,
      callerId: 'AKIDGOOD',
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:iam::${gw.settings.accountId}:user/AKIDGOOD`,
      userId: 'AKIDGOOD',
    });

    const refusals = [
      await send(port, signed, '{"k":2}'),
      await send(port, { ...signed, headers: { host: signed.host } }),
      await send(
        port,
        await signRequest(
          signing(port, { method: 'POST', path: `${urlPath}items`, secretAccessKey: 'guess' }),
        ),
      ),
    ];
    for (const refused of refusals) {
      assert.equal(refused.status, 403);
      assert.match((JSON.parse(refused.body) as { Message: string }).Message, /^Forbidden\./);
    }
    assert.equal(gw.queue.sync.length, 1);
  });
});
