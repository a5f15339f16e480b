/**
 * @module
 * Ranges and names of every cron field in both dialects.
 */
import type { CronFieldDef } from './cron-field.js';

const MONTH_NAMES = {
  JAN: 1,
  FEB: 2,
  MAR: 3,
  APR: 4,
  MAY: 5,
  JUN: 6,
  JUL: 7,
  AUG: 8,
  SEP: 9,
  OCT: 10,
  NOV: 11,
  DEC: 12,
} as const;

export const SECONDS_FIELD: CronFieldDef = { label: 'seconds', min: 0, max: 59, wraps: true };
export const MINUTES_FIELD: CronFieldDef = { label: 'minutes', min: 0, max: 59, wraps: true };
export const HOURS_FIELD: CronFieldDef = { label: 'hours', min: 0, max: 23, wraps: true };
export const DAY_OF_MONTH_FIELD: CronFieldDef = {
  label: 'day-of-month',
  min: 1,
  max: 31,
  wraps: true,
};
export const MONTH_FIELD: CronFieldDef = {
  label: 'month',
  min: 1,
  max: 12,
  names: MONTH_NAMES,
  wraps: true,
};

/** EventBridge numbers weekdays 1 = SUN ... 7 = SAT. */
export const AWS_DAY_OF_WEEK_FIELD: CronFieldDef = {
  label: 'day-of-week',
  min: 1,
  max: 7,
  names: { SUN: 1, MON: 2, TUE: 3, WED: 4, THU: 5, FRI: 6, SAT: 7 },
  wraps: true,
};

/** POSIX cron numbers weekdays 0 = SUN ... 6 = SAT, and also accepts 7 for Sunday. */
export const STANDARD_DAY_OF_WEEK_FIELD: CronFieldDef = {
  label: 'day-of-week',
  min: 0,
  max: 7,
  names: { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 },
  wraps: true,
};

export const AWS_YEAR_FIELD: CronFieldDef = { label: 'year', min: 1970, max: 2199, wraps: false };
