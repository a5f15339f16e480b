import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextTicks } from './fire-helpers.js';

describe('nextFireAfter with EventBridge cron(...) in UTC', () => {
  it('cron(0 9 ? * MON-FRI *) fires at 09:00 on weekdays and skips the weekend', () => {
    // 2025-03-01 is a Saturday, so the first tick is Monday 03-03; 03-08/09 is the weekend.
    assert.deepEqual(nextTicks('cron(0 9 ? * MON-FRI *)', '2025-03-01T00:00:00Z', 6), [
      '2025-03-03T09:00:00.000Z',
      '2025-03-04T09:00:00.000Z',
      '2025-03-05T09:00:00.000Z',
      '2025-03-06T09:00:00.000Z',
      '2025-03-07T09:00:00.000Z',
      '2025-03-10T09:00:00.000Z',
    ]);
  });

  it('numbers weekdays 1 = SUN ... 7 = SAT: 2-6 is MON-FRI', () => {
    assert.deepEqual(
      nextTicks('cron(0 9 ? * 2-6 *)', '2025-03-01T00:00:00Z', 6),
      nextTicks('cron(0 9 ? * MON-FRI *)', '2025-03-01T00:00:00Z', 6),
    );
    // 1 is Sunday: 2025-03-02.
    assert.deepEqual(nextTicks('cron(0 9 ? * 1 *)', '2025-03-01T00:00:00Z', 1), [
      '2025-03-02T09:00:00.000Z',
    ]);
  });

  it('a wrap-around range FRI-MON covers Friday through Monday', () => {
    // Wed 2025-03-05 -> Fri 07, Sat 08, Sun 09, Mon 10, then Fri 14.
    assert.deepEqual(nextTicks('cron(0 9 ? * FRI-MON *)', '2025-03-05T00:00:00Z', 5), [
      '2025-03-07T09:00:00.000Z',
      '2025-03-08T09:00:00.000Z',
      '2025-03-09T09:00:00.000Z',
      '2025-03-10T09:00:00.000Z',
      '2025-03-14T09:00:00.000Z',
    ]);
  });

  it('cron(0 12 L * ? *) fires on the last day, Feb 29 in leap year 2028 and Feb 28 in 2027', () => {
    assert.deepEqual(nextTicks('cron(0 12 L * ? *)', '2027-12-31T12:00:00Z', 4), [
      '2028-01-31T12:00:00.000Z',
      '2028-02-29T12:00:00.000Z',
      '2028-03-31T12:00:00.000Z',
      '2028-04-30T12:00:00.000Z',
    ]);
    assert.deepEqual(nextTicks('cron(0 12 L * ? *)', '2027-02-01T00:00:00Z', 1), [
      '2027-02-28T12:00:00.000Z',
    ]);
  });

  it('cron(0 10 15W * ? *) moves a Saturday 15th to Friday and a Sunday 15th to Monday', () => {
    // 2025-02-15 and 2025-03-15 are Saturdays -> 14th; 2025-06-15 is a Sunday -> 16th;
    // 2025-04-15 is a Tuesday and stays.
    assert.deepEqual(nextTicks('cron(0 10 15W * ? *)', '2025-02-01T00:00:00Z', 5), [
      '2025-02-14T10:00:00.000Z',
      '2025-03-14T10:00:00.000Z',
      '2025-04-15T10:00:00.000Z',
      '2025-05-15T10:00:00.000Z',
      '2025-06-16T10:00:00.000Z',
    ]);
  });

  it('W never leaves the month: 1W on a Saturday is Monday the 3rd, LW on a Sunday is Friday', () => {
    // 2025-02-01 is a Saturday; 2025-08-31 is a Sunday.
    assert.deepEqual(nextTicks('cron(0 10 1W * ? *)', '2025-01-15T00:00:00Z', 1), [
      '2025-02-03T10:00:00.000Z',
    ]);
    assert.deepEqual(nextTicks('cron(0 10 LW * ? *)', '2025-08-01T00:00:00Z', 2), [
      '2025-08-29T10:00:00.000Z',
      '2025-09-30T10:00:00.000Z',
    ]);
  });

  it('cron(0 8 ? * 2#1 *) and MON#1 fire on the first Monday of each month', () => {
    const firstMondays = [
      '2025-01-06T08:00:00.000Z',
      '2025-02-03T08:00:00.000Z',
      '2025-03-03T08:00:00.000Z',
      '2025-04-07T08:00:00.000Z',
    ];
    assert.deepEqual(nextTicks('cron(0 8 ? * 2#1 *)', '2025-01-01T00:00:00Z', 4), firstMondays);
    assert.deepEqual(nextTicks('cron(0 8 ? * MON#1 *)', '2025-01-01T00:00:00Z', 4), firstMondays);
  });

  it('#5 skips months without a fifth such weekday', () => {
    // Fifth Friday (6#5): 2025-01-31; February to April have four Fridays; then 2025-05-30.
    assert.deepEqual(nextTicks('cron(0 8 ? * 6#5 *)', '2025-01-01T00:00:00Z', 2), [
      '2025-01-31T08:00:00.000Z',
      '2025-05-30T08:00:00.000Z',
    ]);
  });

  it('FRIL and 6L fire on the last Friday of the month', () => {
    const lastFridays = [
      '2025-01-31T08:00:00.000Z',
      '2025-02-28T08:00:00.000Z',
      '2025-03-28T08:00:00.000Z',
    ];
    assert.deepEqual(nextTicks('cron(0 8 ? * FRIL *)', '2025-01-01T00:00:00Z', 3), lastFridays);
    assert.deepEqual(nextTicks('cron(0 8 ? * 6L *)', '2025-01-01T00:00:00Z', 3), lastFridays);
  });

  it('cron(0/15 * * * ? *) fires every quarter hour', () => {
    assert.deepEqual(nextTicks('cron(0/15 * * * ? *)', '2025-01-01T10:07:00Z', 4), [
      '2025-01-01T10:15:00.000Z',
      '2025-01-01T10:30:00.000Z',
      '2025-01-01T10:45:00.000Z',
      '2025-01-01T11:00:00.000Z',
    ]);
  });

  it('5-30/5 runs from 5 to 30 only, and the next hour starts again at 5', () => {
    assert.deepEqual(nextTicks('cron(5-30/5 10 * * ? *)', '2025-01-01T10:26:00Z', 3), [
      '2025-01-01T10:30:00.000Z',
      '2025-01-02T10:05:00.000Z',
      '2025-01-02T10:10:00.000Z',
    ]);
  });

  it('a tick exactly at afterMs is not returned (strictly after)', () => {
    assert.deepEqual(nextTicks('cron(0/15 * * * ? *)', '2025-01-01T10:15:00Z', 1), [
      '2025-01-01T10:30:00.000Z',
    ]);
    assert.deepEqual(nextTicks('cron(0/15 * * * ? *)', '2025-01-01T10:14:59.999Z', 1), [
      '2025-01-01T10:15:00.000Z',
    ]);
  });

  it('returns undefined once the year range is exhausted', () => {
    assert.deepEqual(nextTicks('cron(0 0 1 1 ? 2025-2026)', '2025-06-01T00:00:00Z', 3), [
      '2026-01-01T00:00:00.000Z',
      undefined,
    ]);
    assert.deepEqual(nextTicks('cron(0 0 1 1 ? *)', '2199-01-01T00:00:00Z', 1), [undefined]);
  });

  it('skips a day that no month of the range has (Feb 30 never fires)', () => {
    assert.deepEqual(nextTicks('cron(0 0 30 2 ? *)', '2025-01-01T00:00:00Z', 1), [undefined]);
    // The 31st only exists in 31-day months.
    assert.deepEqual(nextTicks('cron(0 0 31 * ? *)', '2025-04-01T00:00:00Z', 2), [
      '2025-05-31T00:00:00.000Z',
      '2025-07-31T00:00:00.000Z',
    ]);
  });
});
