/**
 * The services' shared clock on real Redis: Redis's TIME, carried forward on the monotonic
 * clock between readings, so a step of the process's wall clock does not move it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRedisClock } from '@lambdock/core';
import { useRedis } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

describe("Redis's clock (real Redis)", () => {
  const ctx = useRedis();

  it('reads Redis and carries the reading forward on the monotonic clock, whatever the wall clock says', async () => {
    let monotonic = 1_000_000;
    const wallAnHourAhead = () => Date.now() + 3_600_000;
    const clock = createRedisClock(ctx.redis, {
      monotonic: () => monotonic,
      wall: wallAnHourAhead,
    });
    try {
      // Before its first reading the clock can only say what the wall clock says.
      const first = clock.now();
      assert.ok(first - Date.now() > 3_500_000, `before the reading: ${first}`);
      const [seconds] = await ctx.redis.time();
      const redisMs = Number(seconds) * 1000;
      await waitFor('the first reading', 5000, async () =>
        Math.abs(clock.now() - redisMs) < 2000 ? true : undefined,
      );
      const read = clock.now();
      monotonic += 5000;
      assert.equal(clock.now(), read + 5000);
    } finally {
      clock.close();
    }
  });

  it('reads Redis again every resync period', async () => {
    const clock = createRedisClock(ctx.redis, { monotonic: () => 0, resyncMs: 50 });
    try {
      await waitFor('a reading', 5000, async () =>
        Math.abs(clock.now() - Date.now()) < 2000 ? true : undefined,
      );
      // The monotonic clock stands still; only fresh readings move the clock on.
      const before = clock.now();
      await new Promise((resolve) => setTimeout(resolve, 400));
      const after = clock.now();
      assert.ok(after - before >= 250, `moved ${after - before} ms in 400 ms`);
    } finally {
      clock.close();
    }
  });
});
