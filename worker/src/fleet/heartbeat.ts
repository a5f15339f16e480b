/**
 * @module
 * The worker registry in Redis: one hash field per worker holding the (Redis-clock) time its
 * liveness expires. Other workers on the same Docker host use it to tell a dead worker's
 * containers from a live one's. Redis's clock is used throughout so host clocks may disagree.
 */
import type { Redis } from 'ioredis';

export interface Heartbeat {
  beat(): Promise<void>;
  /**
   * Workers whose heartbeat has not expired (`live`), and every worker this installation knows of (live or dead within the prune
   * window). A container of a worker outside `known` belongs to another installation sharing
   * the Docker engine, and is none of ours. Long-dead entries are pruned.
   */
  workers(): Promise<{ live: Set<string>; known: Set<string> }>;
  /** Remove this worker's entry (clean shutdown). */
  leave(): Promise<void>;
}

export interface HeartbeatOptions {
  redis: Redis;
  key: string;
  workerId: string;
  ttlMs: number;
}

/** Entries this far past their expiry are deleted by whoever looks. */
const PRUNE_AFTER_MS = 24 * 60 * 60 * 1000;

async function redisNowMs(redis: Redis): Promise<number> {
  const [seconds, micros] = await redis.time();
  return Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
}

export function createHeartbeat(options: HeartbeatOptions): Heartbeat {
  const { redis, key, workerId } = options;
  return {
    async beat() {
      const now = await redisNowMs(redis);
      await redis.hset(key, workerId, String(now + options.ttlMs));
    },
    async workers() {
      const [now, all] = await Promise.all([redisNowMs(redis), redis.hgetall(key)]);
      const live = new Set<string>();
      const stale: string[] = [];
      for (const [id, expiry] of Object.entries(all)) {
        const expiresAt = Number(expiry);
        if (expiresAt > now) live.add(id);
        else if (now - expiresAt > PRUNE_AFTER_MS) stale.push(id);
      }
      if (stale.length > 0) await redis.hdel(key, ...stale);
      const known = new Set(Object.keys(all).filter((id) => !stale.includes(id)));
      return { live, known };
    },
    async leave() {
      await redis.hdel(key, workerId);
    },
  };
}
