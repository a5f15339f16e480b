import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { send, signRequest } from '../helpers/signing.js';
import {
  awsError,
  closeServers,
  signedGateway,
  signedSend,
  signing,
} from '../helpers/signed-gateway.js';
import { createRequestBody, invokePath } from '../helpers/test-app.js';

after(closeServers);

describe('SigV4 signatures with ACCESS_KEYS: who is accepted', () => {
  it('accepts requests signed by a listed key: JSON bodies, look-ups and Invoke on both paths', async () => {
    const { gw, port, expressPort } = await signedGateway();
    const create = await signedSend(port, {
      method: 'POST',
      path: '/2015-03-31/functions',
      body: JSON.stringify(createRequestBody({ FunctionName: 'made' })),
      accessKeyId: 'AKIDOTHER',
      secretAccessKey: 'other-secret',
    });
    assert.equal(create.status, 201, create.body);
    assert.equal((JSON.parse(create.body) as { FunctionName: string }).FunctionName, 'made');
    assert.equal((await gw.registry.get('made'))?.name, 'made');

    const get = await signedSend(port, { method: 'GET', path: '/2015-03-31/functions/demo' });
    assert.equal(get.status, 200, get.body);

    for (const target of [port, expressPort]) {
      const invoked = await signedSend(target, {
        method: 'POST',
        path: invokePath('demo'),
        body: '{"n":1}',
      });
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

    const unknown = await signedSend(port, {
      method: 'GET',
      path: '/2015-03-31/functions',
      accessKeyId: 'AKIDNOBODY',
    });
    assert.equal(
      awsError(unknown, 'UnrecognizedClientException'),
      'The security token included in the request is invalid.',
    );

    const wrongSecret = await signedSend(port, {
      method: 'GET',
      path: '/2015-03-31/functions',
      secretAccessKey: 'guess',
    });
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
    const deleted = await signedSend(port, {
      method: 'DELETE',
      path: '/2015-03-31/functions/demo',
      secretAccessKey: 'x',
    });
    awsError(deleted, 'InvalidSignatureException');
    assert.equal(gw.queue.sync.length, 0);
    assert.equal((await gw.registry.get('demo'))?.name, 'demo');
  });

  it('refuses a signature dated more than 5 minutes off, or scoped to another service', async () => {
    const { port } = await signedGateway();
    const old = await signedSend(port, {
      method: 'GET',
      path: '/2015-03-31/functions',
      signingDate: new Date(Date.now() - 6 * 60_000),
    });
    assert.match(
      awsError(old, 'InvalidSignatureException'),
      /^Signature expired: \d{8}T\d{6}Z is now earlier than \d{8}T\d{6}Z \(\d{8}T\d{6}Z - 5 min\.\)$/,
    );
    const future = await signedSend(port, {
      method: 'GET',
      path: '/2015-03-31/functions',
      signingDate: new Date(Date.now() + 6 * 60_000),
    });
    assert.match(awsError(future, 'InvalidSignatureException'), /^Signature not yet current: /);
    const s3 = await signedSend(port, {
      method: 'GET',
      path: '/2015-03-31/functions',
      service: 's3',
    });
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
});
