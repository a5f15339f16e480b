/**
 * Sync invokes placed on a worker's idle provisioned environment (its own queue): a job that
 * worker does not take in time moves to the shared queue; one it took stays its business.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import request from 'supertest';
import { activeGateway, invokePath, reply } from './helpers/test-app.js';

describe('Invoke placed on a provisioned environment', () => {
  it('moves a job placed on a worker that does not take it to the shared queue', async () => {
    const gw = await activeGateway({ DIRECT_PICKUP_MS: '20' });
    gw.queue.route = { workerId: 'w1' };
    // The holder never answers; once moved, a worker on the shared queue runs it.
    gw.queue.redirect = {
      to: {},
      rerun: (job) => reply({ requestId: job.requestId }, '"ran elsewhere"'),
    };
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 200);
    assert.equal(res.text, '"ran elsewhere"');
    const requestId = gw.queue.sync[0]?.requestId;
    assert.deepEqual(gw.queue.redirected, [{ requestId, route: { workerId: 'w1' } }]);
    assert.deepEqual(gw.queue.settled, []);
  });

  it('leaves a placed job alone when its worker answers in time', async () => {
    const gw = await activeGateway({ DIRECT_PICKUP_MS: '5000' });
    gw.queue.route = { workerId: 'w1' };
    gw.queue.worker = (job) => reply({ requestId: job.requestId }, '"ran there"');
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 200);
    assert.deepEqual(gw.queue.redirected, []);
  });

  it('looks for a placed job its worker took but never answered on that worker', async () => {
    const gw = await activeGateway({ DIRECT_PICKUP_MS: '20' });
    gw.queue.route = { workerId: 'w1' };
    gw.queue.redirect = { to: { workerId: 'w1' } };
    gw.queue.fallback = { state: 'running' };
    const res = await request(gw.app).post(invokePath('demo')).send('{}');
    assert.equal(res.status, 500);
    const requestId = gw.queue.sync[0]?.requestId;
    assert.deepEqual(gw.queue.settled, [{ requestId, route: { workerId: 'w1' } }]);
  });
});
