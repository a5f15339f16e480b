/**
 * @module
 * One scheduler replica fires at a time: the leader holds a Redis key with a TTL and renews it
 * well inside that TTL. A replica that dies stops renewing, and another takes the key once it
 * expires, so a hand-over takes at most one TTL. Renew and release only touch the key while it
 * still names this replica.
 */
import type { Redis } from 'ioredis';
import { luaScript } from '@lambdock/core';

const RENEW = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('PEXPIRE', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

const RELEASE = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`);

export interface LeaderLock {
  /** Take the lock if free, or keep it if ours; true while this replica leads. */
  hold(): Promise<boolean>;
  release(): Promise<void>;
}

export function createLeaderLock(redis: Redis, key: string, me: string, ttlMs: number): LeaderLock {
  return {
    async hold() {
      const renewed = await RENEW.run(redis, [key], [me, ttlMs]);
      if (renewed === 1) return true;
      return (await redis.set(key, me, 'PX', ttlMs, 'NX')) === 'OK';
    },
    async release() {
      await RELEASE.run(redis, [key], [me]);
    },
  };
}
