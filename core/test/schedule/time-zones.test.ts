import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isValidTimeZone, nextFireAfter } from '../../src/schedule/index.js';
import { mustParse, nextTicks } from './fire-helpers.js';

describe('nextFireAfter in IANA time zones', () => {
  it('cron(0 9 ? * MON-FRI *) in America/New_York follows the clock across the DST start', () => {
    // 09:00 EST = 14:00Z until Sunday 2025-03-09, when New York moves to EDT; 09:00 EDT = 13:00Z.
    assert.deepEqual(
      nextTicks('cron(0 9 ? * MON-FRI *)', '2025-03-01T00:00:00Z', 10, {
        timeZone: 'America/New_York',
      }),
      [
        '2025-03-03T14:00:00.000Z',
        '2025-03-04T14:00:00.000Z',
        '2025-03-05T14:00:00.000Z',
        '2025-03-06T14:00:00.000Z',
        '2025-03-07T14:00:00.000Z',
        '2025-03-10T13:00:00.000Z',
        '2025-03-11T13:00:00.000Z',
        '2025-03-12T13:00:00.000Z',
        '2025-03-13T13:00:00.000Z',
        '2025-03-14T13:00:00.000Z',
      ],
    );
  });

  it('the weekday is the local one: 20:00 Friday in New York is Saturday in UTC', () => {
    // Fri 2025-03-07 20:00 EST = Sat 2025-03-08 01:00Z.
    assert.deepEqual(
      nextTicks('cron(0 20 ? * FRI *)', '2025-03-01T02:00:00Z', 1, {
        timeZone: 'America/New_York',
      }),
      ['2025-03-08T01:00:00.000Z'],
    );
  });

  it('Europe/Berlin spring forward: 02:30 does not exist on 2025-03-30 and is skipped', () => {
    // 03-29 02:30 CET = 01:30Z; 03-30 the clock jumps 02:00 CET -> 03:00 CEST (01:00Z);
    // 03-31 02:30 CEST = 00:30Z.
    assert.deepEqual(
      nextTicks('30 2 * * *', '2025-03-28T12:00:00Z', 3, { timeZone: 'Europe/Berlin' }),
      ['2025-03-29T01:30:00.000Z', '2025-03-31T00:30:00.000Z', '2025-04-01T00:30:00.000Z'],
    );
  });

  it('Europe/Berlin spring forward: a quarter-hourly schedule continues at 03:00 CEST', () => {
    // 01:45 CET = 00:45Z, then 02:00-02:45 do not exist, then 03:00 CEST = 01:00Z.
    assert.deepEqual(
      nextTicks('*/15 * * * *', '2025-03-30T00:20:00Z', 4, { timeZone: 'Europe/Berlin' }),
      [
        '2025-03-30T00:30:00.000Z',
        '2025-03-30T00:45:00.000Z',
        '2025-03-30T01:00:00.000Z',
        '2025-03-30T01:15:00.000Z',
      ],
    );
  });

  it('Europe/Berlin fall back: 02:30 on 2025-10-26 fires once, at its first occurrence (CEST)', () => {
    // 02:30 CEST = 00:30Z fires; 02:30 CET = 01:30Z does not; 10-27 02:30 CET = 01:30Z.
    assert.deepEqual(
      nextTicks('30 2 * * *', '2025-10-25T12:00:00Z', 2, { timeZone: 'Europe/Berlin' }),
      ['2025-10-26T00:30:00.000Z', '2025-10-27T01:30:00.000Z'],
    );
  });

  it('Europe/Berlin fall back: an hourly schedule has no tick in the repeated hour', () => {
    // 01:00 CEST = 23:00Z, 02:00 CEST = 00:00Z, (02:00 CET = 01:00Z repeats a wall time), 03:00 CET = 02:00Z.
    assert.deepEqual(
      nextTicks('0 * * * *', '2025-10-25T22:30:00Z', 4, { timeZone: 'Europe/Berlin' }),
      [
        '2025-10-25T23:00:00.000Z',
        '2025-10-26T00:00:00.000Z',
        '2025-10-26T02:00:00.000Z',
        '2025-10-26T03:00:00.000Z',
      ],
    );
  });

  it('Europe/Berlin fall back: starting inside the repeated hour waits for 03:00 CET', () => {
    // 01:10Z is 02:10 CET, the second pass; 02:15, 02:30, 02:45 already fired in CEST.
    assert.deepEqual(
      nextTicks('*/15 * * * *', '2025-10-26T01:10:00Z', 1, { timeZone: 'Europe/Berlin' }),
      ['2025-10-26T02:00:00.000Z'],
    );
  });

  it('a seconds schedule crosses the fall-back hour without per-second work', () => {
    // 02:59:59 CEST = 00:59:59Z; every wall second of the next hour already fired.
    assert.deepEqual(
      nextTicks('* * * * * *', '2025-10-26T00:59:58Z', 3, { timeZone: 'Europe/Berlin' }),
      ['2025-10-26T00:59:59.000Z', '2025-10-26T02:00:00.000Z', '2025-10-26T02:00:01.000Z'],
    );
  });

  it('zones with a half-hour offset work: 09:00 in Asia/Kolkata is 03:30Z', () => {
    assert.deepEqual(
      nextTicks('cron(0 9 * * ? *)', '2025-01-01T00:00:00Z', 1, { timeZone: 'Asia/Kolkata' }),
      ['2025-01-01T03:30:00.000Z'],
    );
  });

  it('throws a RangeError naming an unknown zone', () => {
    assert.throws(
      () => nextFireAfter(mustParse('0 * * * *'), 0, { timeZone: 'Mars/Olympus', anchorMs: 0 }),
      { name: 'RangeError', message: "unknown time zone 'Mars/Olympus'" },
    );
  });

  it('throws a RangeError for a non-finite instant', () => {
    assert.throws(() => nextFireAfter(mustParse('0 * * * *'), NaN, { anchorMs: 0 }), {
      name: 'RangeError',
      message: 'afterMs must be a finite number, got NaN',
    });
  });
});

describe('isValidTimeZone', () => {
  for (const [zone, valid] of [
    ['UTC', true],
    ['Europe/Berlin', true],
    ['America/New_York', true],
    ['Mars/Olympus', false],
    ['', false],
    ['Europe/berlin ', false],
  ] as const) {
    it(`${JSON.stringify(zone)} -> ${valid}`, () => {
      assert.equal(isValidTimeZone(zone), valid);
    });
  }
});
