/**
 * @module
 * Parses EventBridge `cron(Minutes Hours Day-of-month Month Day-of-week Year)` expressions.
 *
 * Follows the EventBridge rules: exactly six fields; exactly one of day-of-month and day-of-week
 * is `?`; day-of-week is numbered 1 = SUN ... 7 = SAT; years 1970-2199. Day-of-month also takes
 * `L` (last day), `LW` (last weekday) and `<day>W` (weekday nearest to that day, never crossing
 * into another month). Day-of-week also takes `L` (Saturday, the last day of the week), `<day>L`
 * (last such weekday of the month, e.g. `6L` or `FRIL`) and `<day>#<n>` (n-th such weekday,
 * n = 1-5). These special forms stand alone; they do not combine with lists, ranges or steps.
 * Names are case-insensitive.
 */
import { parseCronField, parseCronValue, type CronFieldDef } from './cron-field.js';
import {
  AWS_DAY_OF_WEEK_FIELD,
  AWS_YEAR_FIELD,
  DAY_OF_MONTH_FIELD,
  HOURS_FIELD,
  MINUTES_FIELD,
  MONTH_FIELD,
} from './field-defs.js';
import type { CronSchedule, DayOfMonthRule, DayOfWeekRule } from './types.js';

export type CronParseResult =
  | { readonly ok: true; readonly schedule: CronSchedule }
  | { readonly ok: false; readonly message: string };

type RuleResult<T> = { ok: true; rule: T } | { ok: false; message: string };

const FIELD_LIST = '(minutes hours day-of-month month day-of-week year)';

/** Parses `cron(...)`; `text` must already be trimmed and start with `cron(`. */
export function parseAwsCron(text: string): CronParseResult {
  if (!text.endsWith(')')) return { ok: false, message: "cron(...) must end with ')'" };
  const inner = text.slice('cron('.length, -1).trim();
  const fields = inner === '' ? [] : inner.split(/\s+/);
  const [minutes, hours, dom, month, dow, year] = fields;
  if (
    fields.length !== 6 ||
    minutes === undefined ||
    hours === undefined ||
    dom === undefined ||
    month === undefined ||
    dow === undefined ||
    year === undefined
  ) {
    return { ok: false, message: `cron(...) needs 6 fields ${FIELD_LIST}, got ${fields.length}` };
  }
  if ((dom === '?') === (dow === '?')) {
    return { ok: false, message: "exactly one of day-of-month and day-of-week must be '?'" };
  }
  const plain: Array<[string, CronFieldDef]> = [
    [minutes, MINUTES_FIELD],
    [hours, HOURS_FIELD],
    [month, MONTH_FIELD],
    [year, AWS_YEAR_FIELD],
  ];
  const lists: number[][] = [];
  for (const [fieldText, def] of plain) {
    if (fieldText.includes('?')) {
      return {
        ok: false,
        message: `'?' is allowed only in day-of-month or day-of-week, not in ${def.label}`,
      };
    }
    const parsed = parseCronField(fieldText, def);
    if (!parsed.ok) return parsed;
    lists.push(parsed.values);
  }
  const dayOfMonth = parseDayOfMonth(dom);
  if (!dayOfMonth.ok) return dayOfMonth;
  const dayOfWeek = parseDayOfWeek(dow);
  if (!dayOfWeek.ok) return dayOfWeek;
  const [minuteList = [], hourList = [], monthList = [], yearList = []] = lists;
  return {
    ok: true,
    schedule: {
      kind: 'cron',
      dialect: 'aws',
      expression: text,
      seconds: [0],
      minutes: minuteList,
      hours: hourList,
      months: monthList,
      years: yearList,
      dayOfMonth: dayOfMonth.rule,
      dayOfWeek: dayOfWeek.rule,
      dayCombination: 'all',
    },
  };
}

function parseDayOfMonth(text: string): RuleResult<DayOfMonthRule> {
  const upper = text.toUpperCase();
  if (text === '?' || text === '*') return { ok: true, rule: { kind: 'any' } };
  if (upper === 'L') return { ok: true, rule: { kind: 'last' } };
  if (upper === 'LW') return { ok: true, rule: { kind: 'nearest-weekday', day: 'last' } };
  const weekday = /^(\d+)W$/i.exec(text);
  if (weekday?.[1] !== undefined) {
    const day = parseCronValue(weekday[1], DAY_OF_MONTH_FIELD);
    return day.ok ? { ok: true, rule: { kind: 'nearest-weekday', day: day.value } } : day;
  }
  if (/[LW]/i.test(text)) {
    return {
      ok: false,
      message: `day-of-month '${text}' is not valid: use 'L', 'LW' or a single day followed by 'W'`,
    };
  }
  const days = parseCronField(text, DAY_OF_MONTH_FIELD);
  return days.ok ? { ok: true, rule: { kind: 'days', days: days.values } } : days;
}

function parseDayOfWeek(text: string): RuleResult<DayOfWeekRule> {
  if (text === '?' || text === '*') return { ok: true, rule: { kind: 'any' } };
  if (text.toUpperCase() === 'L') return { ok: true, rule: { kind: 'weekdays', weekdays: [6] } };
  const last = /^(\w+)L$/i.exec(text);
  if (last?.[1] !== undefined) {
    const day = parseCronValue(last[1], AWS_DAY_OF_WEEK_FIELD);
    return day.ok ? { ok: true, rule: { kind: 'last-in-month', weekday: day.value - 1 } } : day;
  }
  const nth = /^(\w+)#(\d+)$/i.exec(text);
  if (nth?.[1] !== undefined && nth[2] !== undefined) {
    const day = parseCronValue(nth[1], AWS_DAY_OF_WEEK_FIELD);
    if (!day.ok) return day;
    const n = Number(nth[2]);
    if (n < 1 || n > 5) {
      return { ok: false, message: `day-of-week occurrence #${n} is out of range 1-5` };
    }
    return { ok: true, rule: { kind: 'nth-in-month', weekday: day.value - 1, nth: n } };
  }
  if (/[L#]/i.test(text)) {
    return {
      ok: false,
      message: `day-of-week '${text}' is not valid: 'L' and '#' take a single day and no lists, ranges or steps`,
    };
  }
  const days = parseCronField(text, AWS_DAY_OF_WEEK_FIELD);
  return days.ok
    ? { ok: true, rule: { kind: 'weekdays', weekdays: days.values.map((d) => d - 1) } }
    : days;
}
