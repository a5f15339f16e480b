/**
 * The function registry against a real Redis: create is exclusive, updates are atomic under
 * contention, code is content-addressed, listing pages in name order.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { Redis } from 'ioredis';
import { createKeys, FunctionRegistry, type FunctionRecord } from '@lambdock/core';
import { functionRecord } from '../helpers/records.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

/** A Pending zip record, its code content-addressed when there is code. */
function record(name: string, code?: Buffer): FunctionRecord {
  const stored = functionRecord(name, {
    description: '',
    state: 'Pending',
    revisionId: 'r0',
    codeSha256: code ? createHash('sha256').update(code).digest('base64') : '',
    codeSize: code?.length ?? 0,
  });
  if (code) stored.codeKey = createHash('sha256').update(code).digest('hex');
  else delete stored.codeKey;
  return stored;
}

describe('function registry (real Redis)', () => {
  let server: TestRedis;
  let redis: Redis;
  let registry: FunctionRegistry;

  before(async () => {
    server = await startTestRedis();
    redis = new Redis(server.url);
    registry = new FunctionRegistry(redis, createKeys(`t${randomBytes(4).toString('hex')}`));
  });

  after(async () => {
    redis?.disconnect();
    await server?.stop();
  });

  it('creates once and answers a conflict for the same name', async () => {
    const code = Buffer.from('zip-bytes');
    await registry.create(record('dup', code), code);
    await assert.rejects(registry.create(record('dup', code), code), {
      code: 'LDK_ERR_FUNCTION_EXISTS',
    });
    const stored = await registry.get('dup');
    assert.equal(stored?.name, 'dup');
    assert.deepEqual(await registry.getCode(stored?.codeKey ?? ''), code);
  });

  it('applies 20 concurrent updates without losing one', async () => {
    await registry.create(record('counter'));
    await Promise.all(
      Array.from({ length: 20 }, () =>
        registry.update('counter', (r) => ({ ...r, generation: r.generation + 1 })),
      ),
    );
    assert.equal((await registry.get('counter'))?.generation, 21);
  });

  it('pages through functions in name order', async () => {
    for (const n of ['p-c', 'p-a', 'p-b']) await registry.create(record(n));
    const first = await registry.list(2);
    assert.equal(first.items.length, 2);
    const names = [...first.items.map((r) => r.name)];
    let marker = first.nextMarker;
    while (marker) {
      const page = await registry.list(2, marker);
      names.push(...page.items.map((r) => r.name));
      marker = page.nextMarker;
    }
    const pNames = names.filter((n) => n.startsWith('p-'));
    assert.deepEqual(pNames, ['p-a', 'p-b', 'p-c']);
  });

  it('deletes a function and its reservation', async () => {
    await registry.create(record('gone'));
    await registry.putReservedConcurrency('gone', 3);
    assert.equal(await registry.delete('gone'), true);
    assert.equal(await registry.get('gone'), undefined);
    assert.equal(await registry.getReservedConcurrency('gone'), undefined);
    assert.equal(await registry.delete('gone'), false);
  });
});
