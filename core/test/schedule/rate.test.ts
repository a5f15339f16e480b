import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { nextFireAfter, previousFireAtOrBefore } from '../../src/schedule/index.js';
import { iso, mustParse, nextTicks } from './fire-helpers.js';

describe('rate(...) ticks', () => {
  // Created at 00:00:07.250; the anchor rounds up to 00:00:08, so ticks are 00:00:08 + k * 5 min.
  const anchorIso = '2025-01-01T00:00:07.250Z';

  it('rate(5 minutes) is anchored at the creation time, not at the clock', () => {
    assert.deepEqual(nextTicks('rate(5 minutes)', '2025-01-01T00:12:00Z', 3, { anchorIso }), [
      '2025-01-01T00:15:08.000Z',
      '2025-01-01T00:20:08.000Z',
      '2025-01-01T00:25:08.000Z',
    ]);
  });

  it('tick 0 is the anchor itself; nothing fires before it', () => {
    assert.deepEqual(nextTicks('rate(5 minutes)', '2024-12-31T00:00:00Z', 2, { anchorIso }), [
      '2025-01-01T00:00:08.000Z',
      '2025-01-01T00:05:08.000Z',
    ]);
  });

  it('a tick exactly at afterMs is not returned', () => {
    assert.deepEqual(nextTicks('rate(5 minutes)', '2025-01-01T00:15:08Z', 1, { anchorIso }), [
      '2025-01-01T00:20:08.000Z',
    ]);
  });

  it('ignores the time zone: rate(1 day) is every 24 hours across a DST change', () => {
    assert.deepEqual(
      nextTicks('rate(1 day)', '2025-03-29T12:00:00Z', 2, {
        anchorIso: '2025-03-01T12:00:00Z',
        timeZone: 'Europe/Berlin',
      }),
      ['2025-03-30T12:00:00.000Z', '2025-03-31T12:00:00.000Z'],
    );
  });

  it('every replica computes the same tick from any starting point', () => {
    const schedule = mustParse('rate(2 hours)');
    const anchorMs = Date.parse('2025-01-01T00:00:00Z');
    const ticks = ['2025-01-01T10:00:00Z', '2025-01-01T10:59:59.999Z', '2025-01-01T11:30:00Z'].map(
      (after) => iso(nextFireAfter(schedule, Date.parse(after), { anchorMs })),
    );
    assert.deepEqual(ticks, Array(3).fill('2025-01-01T12:00:00.000Z'));
  });

  it('previousFireAtOrBefore returns the tick at or before, or undefined before the anchor', () => {
    const schedule = mustParse('rate(5 minutes)');
    const anchorMs = Date.parse(anchorIso);
    const prev = (at: string): string | undefined =>
      iso(previousFireAtOrBefore(schedule, Date.parse(at), { anchorMs }));
    assert.equal(prev('2025-01-01T00:15:08Z'), '2025-01-01T00:15:08.000Z');
    assert.equal(prev('2025-01-01T00:15:07.999Z'), '2025-01-01T00:10:08.000Z');
    assert.equal(prev('2025-01-01T00:00:08Z'), '2025-01-01T00:00:08.000Z');
    assert.equal(prev('2025-01-01T00:00:07.999Z'), undefined);
  });
});
