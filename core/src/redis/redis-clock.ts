/**
 * @module
 * One clock for every service: Redis's, read with `TIME` when the connection becomes ready and
 * every RESYNC_MS after, and carried forward between readings on the process's monotonic clock.
 * An async event's age is its accepting gateway's reading subtracted from a worker's, so two
 * hosts' wall clocks disagreeing, or a worker's clock stepped an hour (NTP, an operator), would
 * otherwise drop every event as too old or keep every one too long. Before the first reading
 * the wall clock stands in (`ready` settles with the first reading: the worker takes no job
 * before it); when Redis cannot be read, the last reading carries on. A reading whose round trip
 * took longer than MAX_ROUND_TRIP_MS is not trusted once there is another, and once Redis was
 * read the clock never goes back.
 */
import { performance } from 'node:perf_hooks';
import type { Redis } from 'ioredis';

const RESYNC_MS = 10_000;
const MAX_ROUND_TRIP_MS = 50;

/** Both functions may be passed on alone (`now: clock.now`). */
export interface Clock {
  /** Epoch milliseconds, whole; once Redis was read, never less than an earlier answer. */
  readonly now: () => number;
  /** Settles with the first reading of Redis's clock (never rejects). */
  readonly ready: Promise<void>;
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
  let last = 0;
  let firstRead: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (firstRead = resolve));
  const read = (): void => {
    const before = monotonic();
    redis.time().then(
      ([seconds, micros]) => {
        const after = monotonic();
        if (reading !== undefined && after - before > MAX_ROUND_TRIP_MS) return;
        const redisMs = Number(seconds) * 1000 + Number(micros) / 1000;
        reading = { redisMs, at: (before + after) / 2 };
        firstRead();
      },
      () => undefined, // Redis away: the last reading carries on.
    );
  };
  redis.on('ready', read);
  if (redis.status === 'ready') read();
  const timer = setInterval(read, options.resyncMs ?? RESYNC_MS);
  timer.unref();
  return {
    now: () => {
      // The wall clock's answers before the first reading do not hold the clock up.
      if (reading === undefined) return wall();
      last = Math.max(last, Math.floor(reading.redisMs + monotonic() - reading.at));
      return last;
    },
    ready,
    close: () => {
      clearInterval(timer);
      redis.off('ready', read);
    },
  };
}
