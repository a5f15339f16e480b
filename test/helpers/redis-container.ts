/**
 * @module
 * The last resort of startTestRedis: Redis in a container of a locally present image (never
 * pulled), published on a loopback port only, with the same durability settings.
 */
import { spawnSync } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';

export const REDIS_IMAGE_CANDIDATES = ['redis:7.2-bookworm', 'redis:7', 'lambdock/redis:7'];

function docker(...args: string[]): string {
  const result = spawnSync('docker', args, { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`docker ${args[0] ?? ''} failed: ${result.stderr}`);
  return result.stdout.trim();
}

/** The first candidate image present on the engine, or undefined. */
export function localRedisImage(): string | undefined {
  const wanted = process.env.LAMBDOCK_TEST_REDIS_IMAGE;
  const candidates = wanted ? [wanted] : REDIS_IMAGE_CANDIDATES;
  return candidates.find((image) => spawnSync('docker', ['image', 'inspect', image]).status === 0);
}

export interface RedisContainer {
  start(): Promise<void>;
  stop(): Promise<void>;
  kill(): void;
  remove(): void;
}

export function redisContainer(
  image: string,
  port: number,
  args: readonly string[],
): RedisContainer {
  const name = `lambdock-test-redis-${port}`;
  let created = false;
  return {
    start: async () => {
      if (created) {
        docker('start', name);
        return;
      }
      docker(
        'run',
        '-d',
        '--name',
        name,
        '--label',
        'lambdock.test=redis',
        '-p',
        `127.0.0.1:${port}:6379`,
        image,
        'redis-server',
        '--protected-mode',
        'no',
        ...args,
      );
      created = true;
      await sleep(100);
    },
    stop: async () => {
      docker('stop', '-t', '5', name);
    },
    kill: () => {
      spawnSync('docker', ['kill', name]);
    },
    remove: () => {
      spawnSync('docker', ['rm', '-f', name]);
    },
  };
}
