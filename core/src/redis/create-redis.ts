/**
 * @module
 * ioredis connections with the settings each role needs (BullMQ's production guide):
 * producers fail fast so a request never hangs on a dead Redis (503, never a false 202);
 * blocking consumers and subscribers retry forever.
 */
import { Redis } from 'ioredis';

export type RedisRole = 'producer' | 'consumer' | 'subscriber';

export function createRedis(url: string, role: RedisRole, name: string): Redis {
  const failFast = role === 'producer';
  return new Redis(url, {
    connectionName: name,
    lazyConnect: false,
    enableOfflineQueue: !failFast,
    // BullMQ requires null for blocking connections; producers give up after one retry.
    maxRetriesPerRequest: failFast ? 1 : null,
    retryStrategy: (times) => Math.min(times * 200, 2_000),
    enableReadyCheck: true,
  });
}
