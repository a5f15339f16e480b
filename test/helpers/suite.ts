/**
 * @module
 * The setup every end-to-end suite shares: require Docker and the images it needs, start a
 * private Redis and a stack, and tear both down after the suite, as node:test hooks. A test
 * that fails prints the tail of every service's output, so a failure in CI shows what the
 * gateway and the workers logged. Suites that need Redis alone (integration) take `useRedis`.
 */
import { after, afterEach, before } from 'node:test';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { requireDocker, requireImages } from './docker.js';
import { startTestRedis, type TestRedis } from './redis.js';
import { startStack, type Stack, type StackOptions } from './stack.js';

export interface SuiteContext {
  readonly docker: Docker;
  readonly redis: TestRedis;
  readonly stack: Stack;
  readonly client: LambdaClient;
}

/** Register the hooks in the calling `describe`; read the context inside tests only. */
export function useStack(
  images: readonly string[],
  options: Omit<StackOptions, 'redisUrl'> = {},
): SuiteContext {
  const state: { -readonly [K in keyof SuiteContext]?: SuiteContext[K] } = {};
  before(async () => {
    state.docker = await requireDocker();
    await requireImages(state.docker, images);
    state.redis = await startTestRedis();
    state.stack = await startStack({ ...options, redisUrl: state.redis.url });
    state.client = state.stack.client();
  });
  afterEach((t) => {
    // Node 20's TestContext has `passed` (its typings do not yet).
    if ((t as { passed?: boolean }).passed === false && state.stack) {
      process.stderr.write(
        `services' output after "${t.name}":\n${state.stack.outputTail(6000)}\n`,
      );
    }
  });
  after(async () => {
    await state.stack?.stop();
    await state.redis?.stop();
  });
  const get = <K extends keyof SuiteContext>(key: K): SuiteContext[K] => {
    const value = state[key];
    if (value === undefined)
      throw new Error(`suite context "${key}" is read before the suite started`);
    return value;
  };
  return {
    get docker() {
      return get('docker');
    },
    get redis() {
      return get('redis');
    },
    get stack() {
      return get('stack');
    },
    get client() {
      return get('client');
    },
  };
}

export interface RedisContext {
  readonly server: TestRedis;
  /** A connection BullMQ accepts (`maxRetriesPerRequest: null`). */
  readonly redis: Redis;
}

/** A private Redis and one connection to it for the calling `describe`, as node:test hooks. */
export function useRedis(): RedisContext {
  const state: { server?: TestRedis; redis?: Redis } = {};
  before(async () => {
    state.server = await startTestRedis();
    state.redis = new Redis(state.server.url, { maxRetriesPerRequest: null });
  });
  after(async () => {
    state.redis?.disconnect();
    await state.server?.stop();
  });
  const read = <T>(value: T | undefined, key: string): T => {
    if (value === undefined) throw new Error(`"${key}" is read before the suite started`);
    return value;
  };
  return {
    get server() {
      return read(state.server, 'server');
    },
    get redis() {
      return read(state.redis, 'redis');
    },
  };
}
