/**
 * "202 means stored" on real Redis: every service reads maxmemory-policy and appendonly each
 * time its connection becomes ready, and refuses to run on a Redis that evicts keys.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { checkDurability, createSilentLogger, watchDurability } from '@lambdock/core';
import { freePort } from '../helpers/free-port.js';
import { useRedis } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Run `body` with `name` set to `value`, then put it back. Only on this suite's own Redis: a
 * shared one (REDIS_URL) would have every other client see the change.
 */
async function withConfig<T>(
  redis: Redis,
  name: string,
  value: string,
  body: () => Promise<T>,
): Promise<T> {
  if (process.env.REDIS_URL)
    throw new Error(
      'this test changes Redis settings: it needs a private redis-server; unset REDIS_URL',
    );
  const [, before = ''] = (await redis.config('GET', name)) as string[];
  await redis.config('SET', name, value);
  try {
    return await body();
  } finally {
    await redis.config('SET', name, before);
  }
}

/** Start a service's main; resolve with its exit code and output, or fail after `ms`. */
async function exitOf(
  script: string,
  env: Record<string, string>,
  ms: number,
): Promise<{ code: number | null; output: string }> {
  const child = spawn(process.execPath, [join(ROOT, script)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), ms);
  const [code] = (await once(child, 'exit')) as [number | null];
  clearTimeout(timer);
  return { code, output };
}

describe('Redis durability settings (real Redis)', () => {
  const ctx = useRedis();

  it('reads noeviction and the append-only file, and tells an evicting or AOF-less Redis', async () => {
    assert.deepEqual(await checkDurability(ctx.redis), { kind: 'durable' });
    await withConfig(ctx.redis, 'maxmemory-policy', 'allkeys-lru', async () =>
      assert.deepEqual(await checkDurability(ctx.redis), {
        kind: 'evicting',
        policy: 'allkeys-lru',
      }),
    );
    await withConfig(ctx.redis, 'appendonly', 'no', async () =>
      assert.deepEqual(await checkDurability(ctx.redis), { kind: 'no-aof' }),
    );
    assert.deepEqual(await checkDurability(ctx.redis), { kind: 'durable' });
  });

  it('checks again when the connection comes back', async () => {
    const watched = new Redis(ctx.server.url, { connectionName: 'durability-watched' });
    const stops: string[] = [];
    try {
      await once(watched, 'ready');
      watchDurability(watched, { logger: createSilentLogger(), onEvicting: (m) => stops.push(m) });
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(stops, []);
      await withConfig(ctx.redis, 'maxmemory-policy', 'volatile-lru', async () => {
        await ctx.redis.client('KILL', 'USER', 'default', 'SKIPME', 'yes');
        await waitFor('the check after the reconnect', 10_000, async () =>
          stops.length > 0 ? true : undefined,
        );
      });
      assert.match(stops[0] ?? '', /maxmemory-policy volatile-lru/);
    } finally {
      watched.disconnect();
    }
  });

  it('stops the gateway, the worker and the scheduler on a Redis that evicts keys', async () => {
    const env = {
      REDIS_URL: ctx.server.url,
      LAMBDOCK_PREFIX: 'durability',
      LOG_LEVEL: 'info',
      WORKER_CODE_DIR: mkdtempSync(join(tmpdir(), 'lambdock-code-')),
    };
    const services = [
      ['gateway/dist/src/main.js', { GATEWAY_PORT: String(await freePort()) }],
      ['worker/dist/src/main.js', { WORKER_PORT: String(await freePort()), WORKER_ID: 'dur-w' }],
      ['scheduler/dist/src/main.js', { SCHEDULER_PORT: String(await freePort()) }],
    ] as const;
    await withConfig(ctx.redis, 'maxmemory-policy', 'allkeys-lfu', async () => {
      const exits = await Promise.all(
        services.map(([script, own]) => exitOf(script, { ...env, ...own }, 20_000)),
      );
      exits.forEach(({ code, output }, i) => {
        assert.equal(code, 1, `${services[i]?.[0]} exit code; output:\n${output}`);
        assert.match(output, /maxmemory-policy allkeys-lfu/);
        assert.match(output, /LDK_ERR_CONFIG_INVALID/);
      });
    });
  });
});
