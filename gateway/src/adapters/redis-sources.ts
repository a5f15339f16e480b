/**
 * @module
 * The event-source stores, their cached view, schedule state and the storage delivery log on
 * the gateway's producer connection. Every call is bounded like the rest of the hot path: Redis
 * away means 503, never a hang.
 */
import type { Redis } from 'ioredis';
import {
  ScheduleStateStore,
  SourceStore,
  sourcesVersion,
  type FunctionUrlRecord,
  type RedisKeys,
  type RouteRecord,
  type ScheduleRecord,
  type TriggerRecord,
  type WebhookRecord,
} from '@lambdock/core';
import type { GatewaySources } from '../deps.js';
import { createSourceView, type SourceStores } from '../sources/source-view.js';
import { failFast, guardRedis } from './fail-fast.js';

export interface RedisSourcesOptions {
  redis: Redis;
  keys: RedisKeys;
  timeoutMs: number;
  refreshMs: number;
  dedupeTtlS: number;
  now: () => number;
}

export function createSourceStores(redis: Redis, keys: RedisKeys, timeoutMs: number): SourceStores {
  return {
    routes: guardRedis(new SourceStore<RouteRecord>(redis, keys, 'routes'), timeoutMs),
    urls: guardRedis(new SourceStore<FunctionUrlRecord>(redis, keys, 'urls'), timeoutMs),
    schedules: guardRedis(new SourceStore<ScheduleRecord>(redis, keys, 'schedules'), timeoutMs),
    webhooks: guardRedis(new SourceStore<WebhookRecord>(redis, keys, 'webhooks'), timeoutMs),
    triggers: guardRedis(new SourceStore<TriggerRecord>(redis, keys, 'triggers'), timeoutMs),
  };
}

export function createRedisSources(options: RedisSourcesOptions): GatewaySources {
  const { redis, keys, timeoutMs } = options;
  const stores = createSourceStores(redis, keys, timeoutMs);
  return {
    stores,
    view: createSourceView({
      stores,
      version: () => failFast(sourcesVersion(redis, keys), timeoutMs),
      refreshMs: options.refreshMs,
      now: options.now,
    }),
    scheduleStates: guardRedis(new ScheduleStateStore(redis, keys), timeoutMs),
    deliveries: {
      async claim(requestId) {
        const set = redis.set(keys.delivery(requestId), '1', 'EX', options.dedupeTtlS, 'NX');
        return (await failFast(set, timeoutMs)) === 'OK';
      },
      async release(requestId) {
        await failFast(redis.del(keys.delivery(requestId)), timeoutMs);
      },
    },
  };
}
