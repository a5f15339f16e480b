/**
 * @module
 * Finds the first wall time at or after a given one that a cron schedule selects, skipping by
 * field (year, month, day, hour, minute, second) instead of scanning minute by minute. Time
 * zones are not involved here; fire-times.ts maps the result to an instant.
 */
import { wallFields, wallMs, type WallFields } from './calendar.js';
import { matchingDays } from './matching-days.js';
import type { CronSchedule } from './types.js';

type Unit = keyof WallFields;
type Cursor = { -readonly [K in Unit]: number };

const UNITS: readonly Unit[] = ['year', 'month', 'day', 'hour', 'minute', 'second'];

/** Moves the cursor to the start of `unit` set to `value` (e.g. day 5 at 00:00:00). */
function moveTo(cursor: Cursor, unit: Unit, value: number): void {
  cursor[unit] = value;
  for (const smaller of UNITS.slice(UNITS.indexOf(unit) + 1)) {
    cursor[smaller] = smaller === 'month' || smaller === 'day' ? 1 : 0;
  }
}

function firstAtLeast(sorted: readonly number[], min: number): number | undefined {
  return sorted.find((v) => v >= min);
}

/**
 * First selected wall time `>= start` (both encoded as wall milliseconds, whole seconds), or
 * `undefined` when none exists up to the end of `maxYear`. Values that overflow (day 32, hour
 * 24, minute 60) find no match in their field and carry into the next larger unit.
 */
export function nextWallMatch(
  schedule: CronSchedule,
  start: number,
  maxYear: number,
): number | undefined {
  const c: Cursor = { ...wallFields(start) };
  for (;;) {
    if (c.year > maxYear) return undefined;
    const year = schedule.years === undefined ? c.year : firstAtLeast(schedule.years, c.year);
    if (year === undefined) return undefined;
    if (year > c.year) moveTo(c, 'year', year);
    const month = firstAtLeast(schedule.months, c.month);
    if (month === undefined) {
      moveTo(c, 'year', c.year + 1);
      continue;
    }
    if (month > c.month) moveTo(c, 'month', month);
    const day = firstAtLeast(matchingDays(schedule, c.year, c.month), c.day);
    if (day === undefined) {
      if (c.month === 12) moveTo(c, 'year', c.year + 1);
      else moveTo(c, 'month', c.month + 1);
      continue;
    }
    if (day > c.day) moveTo(c, 'day', day);
    const hour = firstAtLeast(schedule.hours, c.hour);
    if (hour === undefined) {
      moveTo(c, 'day', c.day + 1);
      continue;
    }
    if (hour > c.hour) moveTo(c, 'hour', hour);
    const minute = firstAtLeast(schedule.minutes, c.minute);
    if (minute === undefined) {
      moveTo(c, 'hour', c.hour + 1);
      continue;
    }
    if (minute > c.minute) moveTo(c, 'minute', minute);
    const second = firstAtLeast(schedule.seconds, c.second);
    if (second === undefined) {
      moveTo(c, 'minute', c.minute + 1);
      continue;
    }
    return wallMs({ ...c, second });
  }
}
