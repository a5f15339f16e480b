import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { activeGateway, errorOf, invokePath, reply } from './helpers/test-app.js';

describe('Invoke payload must be JSON', () => {
  const send = async (bytes: Buffer) => {
    const gw = await activeGateway();
    return request(gw.app)
      .post(invokePath('demo'))
      .set('content-type', 'application/octet-stream')
      .send(bytes);
  };
  const source = (line: number, column: number): string =>
    `\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column}]`;

  it('refuses invalid UTF-8 inside a string with the parser position', async () => {
    const res = await send(Buffer.from([0x7b, 0x22, 0x87, 0x22, 0x3a, 0x31, 0x7d]));
    assert.equal(res.status, 400);
    assert.equal(res.headers['x-amzn-errortype'], 'InvalidRequestContentException');
    assert.deepEqual(res.body, {
      Type: 'User',
      message: `Could not parse request body into json: Could not parse payload into json: Invalid UTF-8 start byte 0x87${source(1, 3)}`,
    });
  });

  it('refuses a payload that starts with a control byte', async () => {
    const res = await send(Buffer.from([0x99, 0x7b, 0x7d]));
    assert.equal(res.status, 400);
    assert.equal(
      errorOf(res).message,
      `Could not parse request body into json: Could not parse payload into json: Unexpected character ((CTRL-CHAR, code 153)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')${source(1, 1)}`,
    );
  });

  it('refuses text that is not JSON', async () => {
    const res = await send(Buffer.from('hello'));
    assert.equal(res.status, 400);
    assert.match(
      String(errorOf(res).message),
      /^Could not parse request body into json: Could not parse payload into json: Unrecognized token 'hello'/,
    );
  });

  it('accepts any JSON value, not only objects', async () => {
    const gw = await activeGateway();
    gw.queue.worker = (job) => reply({ requestId: job.requestId }, job.payload);
    const res = await request(gw.app).post(invokePath('demo')).send('"just a string"');
    assert.equal(res.status, 200);
    assert.equal(res.text, '"just a string"');
  });
});
