/**
 * @module
 * Find Redis for a test run: REDIS_URL when set, else a private redis-server on a free
 * loopback port (AOF on, noeviction, as production). Never skips: a missing Redis fails
 * the run with the command that fixes it.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import { freePort } from './free-port.js';
import { localRedisImage, redisContainer, type RedisContainer } from './redis-container.js';

/** When a restart took Redis away and brought it back (epoch ms). */
export interface RedisOutage {
  /** The server had exited (graceful stop: the AOF was flushed). */
  stoppedAt: number;
  /** A new server was being started; nothing listened between the two. */
  startingAt: number;
  /** The new server answered PING. */
  readyAt: number;
}

export interface TestRedis {
  url: string;
  port: number;
  /** Only for private servers: stop and start again on the same port and data dir. */
  restart(downMs?: number): Promise<RedisOutage>;
  /**
   * Only for private servers: SIGKILL (no shutdown, no final flush: what the AOF already holds
   * is all a restart gets back), then start again after `downMs`.
   */
  crash(downMs?: number): Promise<RedisOutage>;
  stop(): Promise<void>;
  kill(): void;
  start(): Promise<void>;
}

const MISSING_REDIS =
  'Redis is required for the integration and end-to-end tests and none was found.\n' +
  'Fix: apt-get install -y redis-server (a private server is started automatically), ' +
  'or set REDIS_URL=redis://host:port, or have a Redis image on the Docker engine ' +
  '(redis:7.2-bookworm, or lambdock/redis:7 from deploy/offline-bases/redis.Dockerfile).';

async function waitForPing(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const client = new Redis(url, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    client.on('error', () => undefined); // the connect() rejection below is what we act on
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch (err) {
      client.disconnect();
      if (Date.now() > deadline) throw new Error(`Redis at ${url} did not answer: ${String(err)}`);
      await sleep(50);
    }
  }
}

async function outage(
  stop: () => Promise<void>,
  start: () => Promise<void>,
  downMs: number,
): Promise<RedisOutage> {
  await stop();
  const stoppedAt = Date.now();
  await sleep(downMs);
  const startingAt = Date.now();
  await start();
  return { stoppedAt, startingAt, readyAt: Date.now() };
}

export async function startTestRedis(): Promise<TestRedis> {
  const fromEnv = process.env.REDIS_URL;
  if (fromEnv !== undefined && fromEnv !== '') {
    await waitForPing(fromEnv, 3000);
    const port = Number(new URL(fromEnv).port || 6379);
    const unsupported = async (): Promise<never> => {
      throw new Error('this test needs a private redis-server; unset REDIS_URL');
    };
    return {
      url: fromEnv,
      port,
      restart: unsupported,
      crash: unsupported,
      stop: async () => undefined,
      kill: () => undefined,
      start: unsupported,
    };
  }
  const port = await freePort();
  const url = `redis://127.0.0.1:${port}`;
  const durable = [
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--maxmemory-policy',
    'noeviction',
  ];
  const forceContainer = process.env.LAMBDOCK_TEST_REDIS === 'container';
  if (forceContainer || spawnSync('redis-server', ['--version']).status !== 0) {
    const image = localRedisImage();
    if (image === undefined) throw new Error(MISSING_REDIS);
    return startContainerRedis(redisContainer(image, port, durable), url, port);
  }
  const dir = mkdtempSync(join(tmpdir(), 'lambdock-redis-'));
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, ...durable],
      {
        stdio: 'ignore',
      },
    );
    await waitForPing(url, 5000);
  };
  const stop = async (): Promise<void> => {
    const c = child;
    if (c === undefined || c.exitCode !== null) return;
    const exited = new Promise((resolve) => c.once('exit', resolve));
    c.kill('SIGTERM');
    await exited;
  };
  await start();
  return {
    url,
    port,
    start,
    kill: () => child?.kill('SIGKILL'),
    restart: async (downMs = 0) => outage(stop, start, downMs),
    crash: async (downMs = 0) => {
      const killHard = async (): Promise<void> => {
        const c = child;
        if (c === undefined || c.exitCode !== null) return;
        const exited = new Promise((resolve) => c.once('exit', resolve));
        c.kill('SIGKILL');
        await exited;
      };
      return outage(killHard, start, downMs);
    },
    stop: async () => {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function startContainerRedis(
  container: RedisContainer,
  url: string,
  port: number,
): Promise<TestRedis> {
  const start = async (): Promise<void> => {
    await container.start();
    await waitForPing(url, 10_000);
  };
  await start();
  return {
    url,
    port,
    start,
    kill: () => container.kill(),
    restart: async (downMs = 0) => outage(async () => container.stop(), start, downMs),
    crash: async (downMs = 0) => outage(async () => container.kill(), start, downMs),
    stop: async () => container.remove(),
  };
}
