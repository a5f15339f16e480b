import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { presignUrl, send, signRequest } from '../helpers/signing.js';
import { closeServers, signedGateway, signedSend, signing } from '../helpers/signed-gateway.js';

after(closeServers);

describe('SigV4 signatures with ACCESS_KEYS: presigned links', () => {
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

  it('presigns GetFunction’s Code.Location for 10 minutes with the caller’s key', async () => {
    const { gw, port } = await signedGateway();
    let now = Date.now();
    const { port: clockedPort } = await signedGateway({}, { now: () => now });
    const get = await signedSend(clockedPort, {
      method: 'GET',
      path: '/2015-03-31/functions/demo',
    });
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
    const created = await signedSend(port, {
      method: 'POST',
      path: '/2021-10-31/functions/demo/url',
      body: JSON.stringify({ AuthType: 'AWS_IAM' }),
    });
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
      await signedSend(port, { method: 'POST', path: `${urlPath}items`, secretAccessKey: 'guess' }),
    ];
    for (const refused of refusals) {
      assert.equal(refused.status, 403);
      assert.match((JSON.parse(refused.body) as { Message: string }).Message, /^Forbidden\./);
    }
    assert.equal(gw.queue.sync.length, 1);
  });
});
