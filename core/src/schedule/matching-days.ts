/**
 * @module
 * The days of one month that a cron schedule's day-of-month and day-of-week rules select.
 */
import { daysInMonth, weekdayOf } from './calendar.js';
import type { CronSchedule, DayOfMonthRule, DayOfWeekRule } from './types.js';

/** Sorted days (1-based) of `month` in `year` on which the schedule fires. */
export function matchingDays(schedule: CronSchedule, year: number, month: number): number[] {
  const length = daysInMonth(year, month);
  const byMonthDay = monthDays(schedule.dayOfMonth, year, month, length);
  const byWeekday = weekDays(schedule.dayOfWeek, year, month, length);
  if (byMonthDay === undefined && byWeekday === undefined) {
    return Array.from({ length }, (_, i) => i + 1);
  }
  if (byMonthDay === undefined) return byWeekday ?? [];
  if (byWeekday === undefined) return byMonthDay;
  if (schedule.dayCombination === 'either') {
    return [...new Set([...byMonthDay, ...byWeekday])].sort((a, b) => a - b);
  }
  return byMonthDay.filter((day) => byWeekday.includes(day));
}

/** `undefined` means "no restriction". */
function monthDays(
  rule: DayOfMonthRule,
  year: number,
  month: number,
  length: number,
): number[] | undefined {
  switch (rule.kind) {
    case 'any':
      return undefined;
    case 'days':
      return rule.days.filter((day) => day <= length);
    case 'last':
      return [length];
    case 'nearest-weekday':
      return nearestWeekday(rule.day === 'last' ? length : rule.day, year, month, length);
  }
}

/** Quartz's `W`: a Saturday moves to Friday and a Sunday to Monday, unless that leaves the month. */
function nearestWeekday(day: number, year: number, month: number, length: number): number[] {
  if (day > length) return [];
  const weekday = weekdayOf(year, month, day);
  if (weekday === 6) return [day === 1 ? 3 : day - 1];
  if (weekday === 0) return [day === length ? day - 2 : day + 1];
  return [day];
}

function weekDays(
  rule: DayOfWeekRule,
  year: number,
  month: number,
  length: number,
): number[] | undefined {
  const firstWeekday = weekdayOf(year, month, 1);
  /** The first day of the month falling on `weekday`. */
  const firstOn = (weekday: number): number => 1 + ((weekday - firstWeekday + 7) % 7);
  switch (rule.kind) {
    case 'any':
      return undefined;
    case 'weekdays': {
      const days: number[] = [];
      for (let day = 1; day <= length; day++) {
        if (rule.weekdays.includes((firstWeekday + day - 1) % 7)) days.push(day);
      }
      return days;
    }
    case 'last-in-month': {
      const first = firstOn(rule.weekday);
      return [first + 7 * Math.floor((length - first) / 7)];
    }
    case 'nth-in-month': {
      const day = firstOn(rule.weekday) + 7 * (rule.nth - 1);
      return day <= length ? [day] : [];
    }
  }
}
