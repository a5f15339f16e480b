import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { activeGateway, errorOf } from './helpers/test-app.js';

const asyncPath = (name: string): string => `/2014-11-13/functions/${name}/invoke-async`;

describe('InvokeAsync (legacy)', () => {
  it('queues an Event invocation and answers 202 with {"Status":202}', async () => {
    const gw = await activeGateway();
    const res = await request(gw.app)
      .post(asyncPath('demo'))
      .set('content-type', 'application/octet-stream')
      .send('{"k":"v"}');
    assert.equal(res.status, 202);
    assert.deepEqual(res.body, { Status: 202 });
    assert.equal(gw.queue.async.length, 1);
    assert.equal(gw.queue.async[0]?.payload, '{"k":"v"}');
    assert.equal(gw.queue.async[0]?.qualifier, '$LATEST');
    assert.equal(gw.queue.sync.length, 0);
  });

  it('takes at most 256 KB of arguments, or the Event limit when that is lower', async () => {
    const body = (size: number): string => JSON.stringify({ pad: 'x'.repeat(size - 10) });
    const gw = await activeGateway();
    const over = await request(gw.app)
      .post(asyncPath('demo'))
      .set('content-type', 'application/octet-stream')
      .send(body(262_145));
    assert.equal(over.status, 413);
    assert.equal(
      errorOf(over).message,
      '262145 byte payload is too large for the Event invocation type (limit 262144 bytes)',
    );
    const at = await request(gw.app)
      .post(asyncPath('demo'))
      .set('content-type', 'application/octet-stream')
      .send(body(262_144));
    assert.equal(at.status, 202);
    const lower = await activeGateway({ ASYNC_PAYLOAD_LIMIT_BYTES: '100' });
    const refused = await request(lower.app).post(asyncPath('demo')).send(body(101));
    assert.equal(refused.status, 413);
    assert.equal(lower.queue.async.length, 0);
  });

  it('refuses what Invoke refuses, and stores nothing when Redis is away', async () => {
    const gw = await activeGateway();
    const missing = await request(gw.app).post(asyncPath('nope')).send('{}');
    assert.equal(missing.status, 404);
    const notJson = await request(gw.app).post(asyncPath('demo')).send('{oops');
    assert.equal(notJson.headers['x-amzn-errortype'], 'InvalidRequestContentException');
    gw.queue.down = true;
    const down = await request(gw.app).post(asyncPath('demo')).send('{}');
    assert.equal(down.status, 503);
    assert.equal(gw.queue.async.length, 0);
  });
});
