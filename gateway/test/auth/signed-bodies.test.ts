import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { gzipSync } from 'node:zlib';
import { send, signRequest } from '../helpers/signing.js';
import {
  awsError,
  closeServers,
  KEYS,
  signedGateway,
  signedSend,
  signing,
} from '../helpers/signed-gateway.js';
import { createRequestBody, invokePath } from '../helpers/test-app.js';

after(closeServers);

describe('SigV4 signatures with ACCESS_KEYS: bodies', () => {
  it('checks the key before reading a body, then applies Invoke’s own limit to it', async () => {
    const { gw, port } = await signedGateway({ SYNC_PAYLOAD_LIMIT_BYTES: '64' });
    const big = JSON.stringify({ pad: 'x'.repeat(100) });
    const unknown = await signedSend(port, {
      method: 'POST',
      path: invokePath('demo'),
      body: big,
      accessKeyId: 'AKIDNOBODY',
    });
    awsError(unknown, 'UnrecognizedClientException');
    const tooBig = await signedSend(port, { method: 'POST', path: invokePath('demo'), body: big });
    assert.equal(tooBig.status, 413);
    assert.equal(tooBig.headers['x-amzn-errortype'], 'RequestEntityTooLargeException');
    assert.equal(
      (JSON.parse(tooBig.body) as { message: string }).message,
      'Request must be smaller than 64 bytes for the InvokeFunction operation',
    );
    assert.equal(gw.queue.sync.length, 0);
  });

  it("gives InvokeWithResponseStream Invoke's sync limit and InvokeAsync its own", async () => {
    // Both over the 1 MB that paths of settings operations are read to.
    const { gw, port } = await signedGateway({ ASYNC_PAYLOAD_LIMIT_BYTES: '1100000' });
    const body = JSON.stringify({ pad: 'x'.repeat(1_200_000) });
    const stream = await signedSend(port, {
      method: 'POST',
      path: '/2021-11-15/functions/demo/response-streaming-invocations',
      body,
    });
    assert.equal(stream.status, 200);
    assert.equal(gw.queue.sync[0]?.payload.length, body.length);
    const legacy = await signedSend(port, {
      method: 'POST',
      path: '/2014-11-13/functions/demo/invoke-async',
      body,
    });
    assert.equal(legacy.status, 413);
    assert.equal(
      (JSON.parse(legacy.body) as { message: string }).message,
      `${body.length} byte payload is too large for the Event invocation type (limit 262144 bytes)`,
    );
    assert.equal(gw.queue.async.length, 0);
  });

  it('reads at most the limit of the operation the path names', async () => {
    const { port } = await signedGateway();
    const big = JSON.stringify({
      Name: 'a',
      FunctionVersion: '1',
      Description: 'x'.repeat(1_100_000),
    });
    const answer = await signedSend(port, {
      method: 'POST',
      path: '/2015-03-31/functions/demo/aliases',
      body: big,
    });
    assert.equal(answer.status, 413);
    assert.equal(
      (JSON.parse(answer.body) as { message: string }).message,
      'Request must be smaller than 1048576 bytes for the requested operation',
    );
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
        const { port } = await signedGateway({ ACCESS_KEYS: keys });
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

  it('takes header values with tabs, and compressed JSON bodies as the body parser does', async () => {
    const { gw, port } = await signedGateway();
    const tabbed = await signedSend(port, {
      method: 'GET',
      path: '/2015-03-31/functions/demo',
      headers: { 'x-note': 'a\t b' },
    });
    assert.equal(tabbed.status, 200, tabbed.body);
    const zipped = await signedSend(port, {
      method: 'POST',
      path: '/2015-03-31/functions',
      body: gzipSync(JSON.stringify(createRequestBody({ FunctionName: 'zipped' }))),
      headers: { 'content-encoding': 'gzip' },
    });
    assert.equal(zipped.status, 201, zipped.body);
    assert.equal((await gw.registry.get('zipped'))?.name, 'zipped');
  });
});
