import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFireAfter, previousFireAtOrBefore } from '../../src/schedule/index.js';
import { iso, mustParse } from './fire-helpers.js';

function previous(expression: string, atIso: string, timeZone = 'UTC'): string | undefined {
  return iso(
    previousFireAtOrBefore(mustParse(expression), Date.parse(atIso), { timeZone, anchorMs: 0 }),
  );
}

describe('previousFireAtOrBefore for cron schedules', () => {
  it('returns a tick exactly at atMs', () => {
    assert.equal(
      previous('cron(0/15 * * * ? *)', '2025-01-01T10:15:00Z'),
      '2025-01-01T10:15:00.000Z',
    );
  });

  it('returns the latest earlier tick otherwise', () => {
    assert.equal(
      previous('cron(0/15 * * * ? *)', '2025-01-01T10:14:59.999Z'),
      '2025-01-01T10:00:00.000Z',
    );
    assert.equal(previous('*/2 * * * * *', '2025-01-01T12:00:03.500Z'), '2025-01-01T12:00:02.000Z');
  });

  it('reaches back over weekends and months', () => {
    // Monday 2025-03-10 08:00Z: the last weekday 09:00 was Friday 03-07.
    assert.equal(
      previous('cron(0 9 ? * MON-FRI *)', '2025-03-10T08:00:00Z'),
      '2025-03-07T09:00:00.000Z',
    );
    // Mid-March 2028: the last "last day of month" was Feb 29 (leap year).
    assert.equal(
      previous('cron(0 12 L * ? *)', '2028-03-15T00:00:00Z'),
      '2028-02-29T12:00:00.000Z',
    );
    // Yearly: the previous Jan 1 is almost a year back.
    assert.equal(previous('0 0 1 1 *', '2025-12-31T23:59:59Z'), '2025-01-01T00:00:00.000Z');
  });

  it('reaches back years for a leap-day schedule', () => {
    assert.equal(previous('0 0 29 2 *', '2027-06-01T00:00:00Z'), '2024-02-29T00:00:00.000Z');
  });

  it('returns undefined when no tick exists before', () => {
    assert.equal(previous('cron(0 0 1 1 ? 2030)', '2029-12-31T23:59:59Z'), undefined);
    assert.equal(previous('0 0 30 2 *', '2025-06-01T00:00:00Z'), undefined);
  });

  it('respects the fall-back rule: nothing fired in the repeated hour', () => {
    // 01:45Z is 02:45 CET (second pass); the last tick was 02:45 CEST = 00:45Z.
    assert.equal(
      previous('*/15 * * * *', '2025-10-26T01:45:00Z', 'Europe/Berlin'),
      '2025-10-26T00:45:00.000Z',
    );
    assert.equal(
      previous('*/15 * * * *', '2025-10-26T02:00:00Z', 'Europe/Berlin'),
      '2025-10-26T02:00:00.000Z',
    );
  });

  it('respects the spring-forward rule: the skipped 02:30 is not a previous tick', () => {
    // On 2025-03-30 at 12:00Z the last 02:30 Berlin tick was 03-29 02:30 CET = 01:30Z.
    assert.equal(
      previous('30 2 * * *', '2025-03-30T12:00:00Z', 'Europe/Berlin'),
      '2025-03-29T01:30:00.000Z',
    );
  });

  it('agrees with nextFireAfter: next(previous(t) - 1) is previous(t) for many t', () => {
    const schedule = mustParse('cron(7 */5 ? * TUE#2 *)');
    const options = { timeZone: 'America/New_York', anchorMs: 0 };
    for (
      let at = Date.parse('2025-01-01T00:00:00Z');
      at < Date.parse('2026-01-01T00:00:00Z');
      at += 7 * 86_400_000 + 12_345_000
    ) {
      const prev = previousFireAtOrBefore(schedule, at, options);
      assert.ok(prev !== undefined && prev <= at);
      assert.equal(nextFireAfter(schedule, prev - 1, options), prev);
      const next = nextFireAfter(schedule, prev, options);
      assert.ok(next !== undefined && next > at, `no tick between ${iso(prev)} and ${iso(at)}`);
    }
  });
});
