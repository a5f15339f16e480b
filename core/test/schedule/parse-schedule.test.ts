import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedule } from '../../src/schedule/index.js';

const range = (from: number, to: number, step = 1): number[] =>
  Array.from({ length: Math.floor((to - from) / step) + 1 }, (_, i) => from + i * step);

describe('parseSchedule accepts', () => {
  it('rate(5 minutes) and rate(1 day)', () => {
    assert.deepEqual(parseSchedule(' rate(5 minutes) '), {
      ok: true,
      schedule: {
        kind: 'rate',
        expression: 'rate(5 minutes)',
        value: 5,
        unit: 'minute',
        intervalMs: 300_000,
      },
    });
    assert.deepEqual(parseSchedule('rate(1 day)'), {
      ok: true,
      schedule: {
        kind: 'rate',
        expression: 'rate(1 day)',
        value: 1,
        unit: 'day',
        intervalMs: 86_400_000,
      },
    });
  });

  it('cron(0 9 ? * MON-FRI *) with weekdays normalised to 0 = Sunday', () => {
    assert.deepEqual(parseSchedule('cron(0 9 ? * MON-FRI *)'), {
      ok: true,
      schedule: {
        kind: 'cron',
        dialect: 'aws',
        expression: 'cron(0 9 ? * MON-FRI *)',
        seconds: [0],
        minutes: [0],
        hours: [9],
        months: range(1, 12),
        years: range(1970, 2199),
        dayOfMonth: { kind: 'any' },
        dayOfWeek: { kind: 'weekdays', weekdays: [1, 2, 3, 4, 5] },
        dayCombination: 'all',
      },
    });
  });

  it('the special day forms of cron(...)', () => {
    const days = (expression: string): unknown => {
      const r = parseSchedule(expression);
      assert.ok(r.ok && r.schedule.kind === 'cron');
      return [r.schedule.dayOfMonth, r.schedule.dayOfWeek];
    };
    assert.deepEqual(days('cron(0 12 L * ? *)'), [{ kind: 'last' }, { kind: 'any' }]);
    assert.deepEqual(days('cron(0 12 LW * ? *)'), [
      { kind: 'nearest-weekday', day: 'last' },
      { kind: 'any' },
    ]);
    assert.deepEqual(days('cron(0 12 15w * ? *)'), [
      { kind: 'nearest-weekday', day: 15 },
      { kind: 'any' },
    ]);
    assert.deepEqual(days('cron(0 8 ? * 2#1 *)'), [
      { kind: 'any' },
      { kind: 'nth-in-month', weekday: 1, nth: 1 },
    ]);
    assert.deepEqual(days('cron(0 8 ? * mon#3 *)'), [
      { kind: 'any' },
      { kind: 'nth-in-month', weekday: 1, nth: 3 },
    ]);
    assert.deepEqual(days('cron(0 8 ? * FRIL *)'), [
      { kind: 'any' },
      { kind: 'last-in-month', weekday: 5 },
    ]);
    assert.deepEqual(days('cron(0 8 ? * 6L *)'), [
      { kind: 'any' },
      { kind: 'last-in-month', weekday: 5 },
    ]);
    assert.deepEqual(days('cron(0 8 ? * L *)'), [
      { kind: 'any' },
      { kind: 'weekdays', weekdays: [6] },
    ]);
    assert.deepEqual(days('cron(0 8 ? * FRI-MON *)'), [
      { kind: 'any' },
      { kind: 'weekdays', weekdays: [0, 1, 5, 6] },
    ]);
    assert.deepEqual(days('cron(0 8 1,15 * ? *)'), [
      { kind: 'days', days: [1, 15] },
      { kind: 'any' },
    ]);
  });

  it('increments: 0/15, */20, 5-30/5, and a wrap-around 50-10/10', () => {
    const minutes = (field: string): unknown => {
      const r = parseSchedule(`cron(${field} * * * ? *)`);
      assert.ok(r.ok && r.schedule.kind === 'cron');
      return r.schedule.minutes;
    };
    assert.deepEqual(minutes('0/15'), [0, 15, 30, 45]);
    assert.deepEqual(minutes('*/20'), [0, 20, 40]);
    assert.deepEqual(minutes('5-30/5'), [5, 10, 15, 20, 25, 30]);
    assert.deepEqual(minutes('50-10/10'), [0, 10, 50]);
    assert.deepEqual(minutes('1,2,3-4,2'), [1, 2, 3, 4]);
  });

  it('5-field and 6-field standard cron', () => {
    assert.deepEqual(parseSchedule('*/2 * * * * *'), {
      ok: true,
      schedule: {
        kind: 'cron',
        dialect: 'standard',
        expression: '*/2 * * * * *',
        seconds: range(0, 58, 2),
        minutes: range(0, 59),
        hours: range(0, 23),
        months: range(1, 12),
        years: undefined,
        dayOfMonth: { kind: 'any' },
        dayOfWeek: { kind: 'any' },
        dayCombination: 'all',
      },
    });
    const r = parseSchedule('0 12 13 * 5,7');
    assert.ok(r.ok && r.schedule.kind === 'cron');
    assert.deepEqual(
      [r.schedule.seconds, r.schedule.dayOfMonth, r.schedule.dayOfWeek, r.schedule.dayCombination],
      [[0], { kind: 'days', days: [13] }, { kind: 'weekdays', weekdays: [0, 5] }, 'either'],
    );
  });
});

describe('parseSchedule rejects with a message saying what is wrong', () => {
  const cases: Array<[string, string]> = [
    ['', 'schedule expression is empty'],
    ['rate(1 minutes)', 'rate(...) unit must be singular when the value is 1'],
    ['rate(5 minute)', 'rate(...) unit must be plural when the value is greater than 1'],
    ['rate(0 minutes)', "rate(...) value must be a positive integer, got '0'"],
    ['rate(-5 minutes)', "rate(...) value must be a positive integer, got '-5'"],
    ['rate(1.5 hours)', "rate(...) value must be a positive integer, got '1.5'"],
    [
      'rate(2 weeks)',
      "rate(...) unit must be one of minute, minutes, hour, hours, day, days, got 'weeks'",
    ],
    ['rate(5)', "rate(...) needs a value and a unit, e.g. rate(5 minutes), got '5'"],
    ['rate(5 minutes', "rate(...) must end with ')'"],
    [
      'cron(0 9 * * ?)',
      'cron(...) needs 6 fields (minutes hours day-of-month month day-of-week year), got 5',
    ],
    [
      'cron()',
      'cron(...) needs 6 fields (minutes hours day-of-month month day-of-week year), got 0',
    ],
    ['cron(0 9 ? * 8 *)', 'day-of-week value 8 is out of range 1-7'],
    ['cron(0 9 ? * 0 *)', 'day-of-week value 0 is out of range 1-7'],
    ['cron(0 9 * * MON *)', "exactly one of day-of-month and day-of-week must be '?'"],
    ['cron(0 9 ? * ? *)', "exactly one of day-of-month and day-of-week must be '?'"],
    ['cron(60 9 * * ? *)', 'minutes value 60 is out of range 0-59'],
    ['cron(0 24 * * ? *)', 'hours value 24 is out of range 0-23'],
    ['cron(0 9 32 * ? *)', 'day-of-month value 32 is out of range 1-31'],
    ['cron(0 9 0 * ? *)', 'day-of-month value 0 is out of range 1-31'],
    ['cron(0 9 * 13 ? *)', 'month value 13 is out of range 1-12'],
    ['cron(0 9 ? * mon-fry *)', "day-of-week value 'fry' is not valid"],
    ['cron(0 9 * FOO ? *)', "month value 'FOO' is not valid"],
    ['cron(0 9 * * ? 1969)', 'year value 1969 is out of range 1970-2199'],
    ['cron(0 9 * * ? 2200)', 'year value 2200 is out of range 1970-2199'],
    ['cron(0 9 * * ? 2030-2025)', "year range '2030-2025' must go from low to high"],
    ['cron(? 9 * * ? *)', "'?' is allowed only in day-of-month or day-of-week, not in minutes"],
    ['cron(*/0 9 * * ? *)', "minutes increment '0' must be a number between 1 and 60"],
    ['cron(*/x 9 * * ? *)', "minutes increment 'x' must be a number between 1 and 60"],
    ['cron(1/2/3 9 * * ? *)', "minutes item '1/2/3' has more than one '/'"],
    ['cron(1-2-3 9 * * ? *)', "minutes range '1-2-3' has more than one '-'"],
    ['cron(1,,2 9 * * ? *)', 'minutes has an empty list item'],
    ['cron(0 9 ? * 2#6 *)', 'day-of-week occurrence #6 is out of range 1-5'],
    ['cron(0 9 ? * 9#1 *)', 'day-of-week value 9 is out of range 1-7'],
    [
      'cron(0 9 ? * 2#1,3 *)',
      "day-of-week '2#1,3' is not valid: 'L' and '#' take a single day and no lists, ranges or steps",
    ],
    [
      'cron(0 9 ? * MON-FRIL *)',
      "day-of-week 'MON-FRIL' is not valid: 'L' and '#' take a single day and no lists, ranges or steps",
    ],
    [
      'cron(0 9 L-3 * ? *)',
      "day-of-month 'L-3' is not valid: use 'L', 'LW' or a single day followed by 'W'",
    ],
    [
      'cron(0 9 1-5W * ? *)',
      "day-of-month '1-5W' is not valid: use 'L', 'LW' or a single day followed by 'W'",
    ],
    ['cron(0 9 32W * ? *)', 'day-of-month value 32 is out of range 1-31'],
    ['cron(0 9 * * ? *', "cron(...) must end with ')'"],
    [
      '0 9 * *',
      'cron expression needs 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got 4',
    ],
    [
      '0 0 9 * * * *',
      'cron expression needs 5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds, got 7',
    ],
    ['0 9 * * 8', 'day-of-week value 8 is out of range 0-7'],
    ['60 * * * * *', 'seconds value 60 is out of range 0-59'],
    ['0 9 ? * MON', "'?' in day-of-month is supported only in cron(...) expressions"],
    ['0 9 * * MON#1', "'#' in day-of-week is supported only in cron(...) expressions"],
    ['0 9 L * *', "day-of-month value 'L' is not valid"],
    ['every(5 minutes)', "unknown schedule expression 'every(...)': use rate(...) or cron(...)"],
    ['RATE(5 minutes)', "unknown schedule expression 'RATE(...)': use rate(...) or cron(...)"],
  ];
  for (const [expression, message] of cases) {
    it(JSON.stringify(expression), () => {
      assert.deepEqual(parseSchedule(expression), { ok: false, message });
    });
  }
});
