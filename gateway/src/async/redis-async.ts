/**
 * @module
 * The async-invocation stores on the gateway's producer connection, every call bounded like
 * the rest of the API (Redis away means 503, never a hang). The gateway only reads records.
 */
import type { Redis } from 'ioredis';
import {
  EventInvokeConfigStore,
  InvocationRecordStore,
  MessageQueueStore,
  createAsyncKeys,
} from '@lambdock/core';
import { guardRedis } from '../adapters/fail-fast.js';
import type { GatewayAsync } from '../deps.js';

/** The gateway never writes records, so their retention does not matter here. */
const READ_ONLY_TTL_MS = 1;

export function createRedisAsync(redis: Redis, prefix: string, timeoutMs: number): GatewayAsync {
  const keys = createAsyncKeys(prefix);
  return {
    configs: guardRedis(new EventInvokeConfigStore(redis, keys), timeoutMs),
    records: guardRedis(new InvocationRecordStore(redis, keys, READ_ONLY_TTL_MS), timeoutMs),
    queues: guardRedis(new MessageQueueStore(redis, keys), timeoutMs),
  };
}
