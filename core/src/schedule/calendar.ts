/**
 * @module
 * Proleptic Gregorian calendar arithmetic on "wall" timestamps: a wall time is encoded as the
 * epoch milliseconds it would have in UTC, which makes field arithmetic zone-free.
 */

export interface WallFields {
  readonly year: number;
  /** 1-12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

export const SECOND_MS = 1000;
export const DAY_MS = 86_400_000;

export function wallMs(f: WallFields): number {
  const ms = Date.UTC(f.year, f.month - 1, f.day, f.hour, f.minute, f.second);
  if (f.year >= 0 && f.year < 100) {
    // Date.UTC maps years 0-99 to 1900-1999.
    const date = new Date(ms);
    date.setUTCFullYear(f.year);
    return date.getTime();
  }
  return ms;
}

export function wallFields(ms: number): WallFields {
  const d = new Date(ms);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
    second: d.getUTCSeconds(),
  };
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

export function daysInMonth(year: number, month: number): number {
  if (month === 2 && isLeapYear(year)) return 29;
  return DAYS_IN_MONTH[month - 1] ?? 31;
}

/** 0 = Sunday ... 6 = Saturday. */
export function weekdayOf(year: number, month: number, day: number): number {
  return new Date(wallMs({ year, month, day, hour: 0, minute: 0, second: 0 })).getUTCDay();
}

/** Rounds down to a whole second. */
export function floorToSecond(ms: number): number {
  return Math.floor(ms / SECOND_MS) * SECOND_MS;
}
