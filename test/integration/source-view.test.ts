/**
 * Event-source changes reach every gateway replica without a restart: two replicas' views on
 * one real Redis; a route written through one is served by the other within the refresh
 * interval, and the writer sees its own change at once.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { createKeys, type RouteRecord } from '@lambdock/core';
import { createRedisSources } from '@lambdock/gateway/redis-sources';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

const REFRESH_MS = 200;

function route(id: string, routeKey: string): RouteRecord {
  return {
    routeId: id,
    routeKey,
    functionName: 'f',
    payloadFormatVersion: '2.0',
    timeoutMs: 30_000,
    managedBy: 'api',
    createdAt: '2026-01-01T00:00:00.000Z',
  };
}

describe('event sources across gateway replicas (real Redis)', () => {
  let server: TestRedis;
  const clients: Redis[] = [];

  before(async () => {
    server = await startTestRedis();
  });
  after(async () => {
    for (const c of clients) c.disconnect();
    await server?.stop();
  });

  function replica(prefix: string) {
    const redis = new Redis(server.url);
    clients.push(redis);
    return createRedisSources({
      redis,
      keys: createKeys(prefix),
      timeoutMs: 2000,
      refreshMs: REFRESH_MS,
      dedupeTtlS: 60,
      now: Date.now,
    });
  }

  it('a change through one replica is live on the other within the refresh interval', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const [a, b] = [replica(prefix), replica(prefix)];
    assert.equal((await b.view.current()).routes.routes.length, 0);

    assert.equal(await a.stores.routes.create('r1', route('r1', 'GET /items/{id}')), true);
    a.view.invalidate();
    assert.equal((await a.view.current()).routes.routes.length, 1, 'the writer sees it at once');

    const deadline = Date.now() + REFRESH_MS * 10;
    let seenAfter = -1;
    const start = Date.now();
    while (Date.now() < deadline) {
      if ((await b.view.current()).routes.routes.length === 1) {
        seenAfter = Date.now() - start;
        break;
      }
      await sleep(20);
    }
    assert.ok(seenAfter >= 0, 'the other replica never saw the route');
    assert.ok(seenAfter <= REFRESH_MS + 100, `seen after ${seenAfter} ms`);

    assert.equal(await a.stores.routes.delete('r1'), true);
    await sleep(REFRESH_MS + 50);
    assert.equal((await b.view.current()).routes.routes.length, 0);
  });

  it('a storage delivery is claimed once across replicas, and a release frees it', async () => {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const [a, b] = [replica(prefix), replica(prefix)];
    const claims = await Promise.all([a, b, a, b].map((r) => r.deliveries.claim('req-1')));
    assert.deepEqual(claims.filter(Boolean).length, 1);
    await a.deliveries.release('req-1');
    assert.equal(await b.deliveries.claim('req-1'), true);
  });
});
