/**
 * @module
 * One clock for every service: Redis's, read with `TIME` when the connection becomes ready and
 * every RESYNC_MS after, and carried forward between readings on the process's monotonic clock.
 * An async event's age is its accepting gateway's reading subtracted from a worker's, so two
 * hosts' wall clocks disagreeing, or a worker's clock stepped an hour (NTP, an operator), would
 * otherwise drop every event as too old or keep every one too long. Before the first reading,
 * and when Redis cannot be read, the last reading (or the wall clock) stands.
 */
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

const RESYNC_MS = 10_000;

/** Both functions may be passed on alone (`now: clock.now`). */
export interface Clock {
  /** Epoch milliseconds, whole. */
  readonly now: () => number;
  /** Stop reading Redis. */
  readonly close: () => void;
}

export interface RedisClockOptions {
  /** @defaultValue 10 s */
  resyncMs?: number;
  /** Where a reading came from, for tests. @defaultValue performance.now */
  monotonic?: () => number;
  /** Before the first reading. @defaultValue Date.now */
  wall?: () => number;
}

export function createRedisClock(
  redis: Pick<Redis, 'time' | 'on' | 'off' | 'status'>,
  options: RedisClockOptions = {},
): Clock {
  const monotonic = options.monotonic ?? (() => performance.now());
  const wall = options.wall ?? Date.now;
  let reading: { redisMs: number; at: number } | undefined;
  const read = (): void => {
    const before = monotonic();
    redis.time().then(
      ([seconds, micros]) => {
        const after = monotonic();
        reading = {
          redisMs: Number(seconds) * 1000 + Number(micros) / 1000,
          at: (before + after) / 2,
        };
      },
      () => undefined, // Redis away: the last reading carries on.
    );
  };
  redis.on('ready', read);
  if (redis.status === 'ready') read();
  const timer = setInterval(read, options.resyncMs ?? RESYNC_MS);
  timer.unref();
  return {
    now: () =>
      reading === undefined ? wall() : Math.floor(reading.redisMs + monotonic() - reading.at),
    close: () => {
      clearInterval(timer);
      redis.off('ready', read);
    },
  };
}
