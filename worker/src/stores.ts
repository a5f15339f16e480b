/**
 * @module
 * The worker's Redis connection and the stores on it. The provisioned offers share it with the
 * reply publisher on purpose (see below); logs go out batched.
 */
import {
  ConcurrencyLeases,
  DEFAULTS,
  FunctionRegistry,
  LogStore,
  ProvisionedConcurrencyStore,
  ProvisionedFleetStore,
  ProvisionedOffersStore,
  VersionRegistry,
  batchAppends,
  createKeys,
  createRedis,
  createRedisClock,
  createReplyCopies,
  createReplyDelivery,
  type Clock,
  type LogBatcher,
  type Logger,
  type RedisKeys,
  type ReplyCopies,
  type ReplyDelivery,
} from '@lambdock/core';
import type { Redis } from 'ioredis';
import type { WorkerConfig } from './config.js';
import type { WorkerMetrics } from './metrics.js';

export interface Stores {
  readonly redis: Redis;
  readonly keys: RedisKeys;
  readonly registry: FunctionRegistry;
  readonly versions: VersionRegistry;
  readonly leases: ConcurrencyLeases;
  readonly logStore: LogBatcher;
  readonly provisioned: ProvisionedConcurrencyStore;
  readonly provisionedFleet: ProvisionedFleetStore;
  readonly offers: ProvisionedOffersStore;
  /** Sync replies kept for senders that missed them (read by remote attempts). */
  readonly copies: ReplyCopies;
  /** Sync replies sent: the lease released, the copy kept and the reply published at once. */
  readonly replies: ReplyDelivery;
  /** Redis's clock: what event ages and deadlines are measured on, as every service does. */
  readonly clock: Clock;
}

export function connectStores(
  config: WorkerConfig,
  logger: Logger,
  metrics: WorkerMetrics,
): Stores {
  const redis = createRedis(config.redisUrl, 'consumer', `lambdock-worker-${config.workerId}`);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  redis.on('close', () => metrics.up.set(0));
  const keys = createKeys(config.keyPrefix);
  const leases = new ConcurrencyLeases(redis, keys, config.accountConcurrency, config.leaseTtlMs);
  const clock = createRedisClock(redis);
  return {
    redis,
    keys,
    registry: new FunctionRegistry(redis, keys),
    versions: new VersionRegistry(redis, keys),
    leases,
    // One pipeline per few milliseconds of appends, not one write per invocation.
    logStore: batchAppends(new LogStore(redis, keys, DEFAULTS.LOG_STREAM_MAX_ENTRIES)),
    provisioned: new ProvisionedConcurrencyStore(redis, config.keyPrefix),
    provisionedFleet: new ProvisionedFleetStore(redis, config.keyPrefix),
    // The same connection as the reply publisher: an environment offered again after a run is
    // visible to gateways before the reply is (Redis runs one connection's commands in order).
    offers: new ProvisionedOffersStore(redis, config.keyPrefix),
    copies: createReplyCopies(redis, keys),
    // A reply copy lives until the caller's deadline, which the gateway set on Redis's clock.
    replies: createReplyDelivery(redis, keys, leases, clock.now),
    clock,
  };
}
