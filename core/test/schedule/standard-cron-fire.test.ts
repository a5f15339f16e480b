import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextTicks } from './fire-helpers.js';

describe('nextFireAfter with standard cron expressions', () => {
  it('*/2 * * * * * (leading seconds) fires every two seconds on even seconds', () => {
    assert.deepEqual(nextTicks('*/2 * * * * *', '2025-01-01T12:00:00.500Z', 4), [
      '2025-01-01T12:00:02.000Z',
      '2025-01-01T12:00:04.000Z',
      '2025-01-01T12:00:06.000Z',
      '2025-01-01T12:00:08.000Z',
    ]);
  });

  it('carries seconds into minutes, hours, days and years', () => {
    assert.deepEqual(nextTicks('*/2 * * * * *', '2025-12-31T23:59:58Z', 2), [
      '2026-01-01T00:00:00.000Z',
      '2026-01-01T00:00:02.000Z',
    ]);
  });

  it('5 fields fire at second 0', () => {
    assert.deepEqual(nextTicks('30 9 * * *', '2025-01-01T09:30:00Z', 2), [
      '2025-01-02T09:30:00.000Z',
      '2025-01-03T09:30:00.000Z',
    ]);
  });

  it('POSIX OR rule: 0 12 13 * FRI fires on the 13th and on every Friday', () => {
    // January 2025: Fridays 3, 10, 17, 24, 31; the 13th is a Monday.
    assert.deepEqual(nextTicks('0 12 13 * FRI', '2025-01-01T00:00:00Z', 7), [
      '2025-01-03T12:00:00.000Z',
      '2025-01-10T12:00:00.000Z',
      '2025-01-13T12:00:00.000Z',
      '2025-01-17T12:00:00.000Z',
      '2025-01-24T12:00:00.000Z',
      '2025-01-31T12:00:00.000Z',
      '2025-02-07T12:00:00.000Z',
    ]);
  });

  it('a day field starting with * makes both fields required: */2 with FRI = odd-day Fridays', () => {
    // Fridays in Jan 2025: 3, 10, 17, 24, 31 -> odd ones 3, 17, 31; Feb 7.
    assert.deepEqual(nextTicks('0 12 */2 * FRI', '2025-01-01T00:00:00Z', 4), [
      '2025-01-03T12:00:00.000Z',
      '2025-01-17T12:00:00.000Z',
      '2025-01-31T12:00:00.000Z',
      '2025-02-07T12:00:00.000Z',
    ]);
  });

  it('day-of-week 0 and 7 are both Sunday, and names work in any case', () => {
    const sundays = ['2025-01-05T00:00:00.000Z', '2025-01-12T00:00:00.000Z'];
    assert.deepEqual(nextTicks('0 0 * * 0', '2025-01-01T00:00:00Z', 2), sundays);
    assert.deepEqual(nextTicks('0 0 * * 7', '2025-01-01T00:00:00Z', 2), sundays);
    assert.deepEqual(nextTicks('0 0 * * sun', '2025-01-01T00:00:00Z', 2), sundays);
  });

  it('MON-FRI uses 1-5 here (not EventBridge numbering)', () => {
    assert.deepEqual(nextTicks('0 9 * * 1-5', '2025-03-01T00:00:00Z', 2), [
      '2025-03-03T09:00:00.000Z',
      '2025-03-04T09:00:00.000Z',
    ]);
  });

  it('month names and lists: 0 0 1 JAN,jul * fires twice a year', () => {
    assert.deepEqual(nextTicks('0 0 1 JAN,jul *', '2025-01-01T00:00:00Z', 3), [
      '2025-07-01T00:00:00.000Z',
      '2026-01-01T00:00:00.000Z',
      '2026-07-01T00:00:00.000Z',
    ]);
  });

  it('a wrap-around hour range 22-1 runs through midnight', () => {
    assert.deepEqual(nextTicks('0 22-1 * * *', '2025-01-01T12:00:00Z', 5), [
      '2025-01-01T22:00:00.000Z',
      '2025-01-01T23:00:00.000Z',
      '2025-01-02T00:00:00.000Z',
      '2025-01-02T01:00:00.000Z',
      '2025-01-02T22:00:00.000Z',
    ]);
  });

  it('Feb 29 waits for the next leap year; an impossible date returns undefined', () => {
    assert.deepEqual(nextTicks('0 0 29 2 *', '2025-01-01T00:00:00Z', 2), [
      '2028-02-29T00:00:00.000Z',
      '2032-02-29T00:00:00.000Z',
    ]);
    assert.deepEqual(nextTicks('0 0 30 2 *', '2025-01-01T00:00:00Z', 1), [undefined]);
  });
});
