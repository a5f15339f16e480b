/**
 * @module
 * Parses unwrapped cron expressions: POSIX's five fields `minute hour day-of-month month
 * day-of-week`, or six with leading seconds (the node-cron extension), so schedules can tick
 * faster than once a minute.
 *
 * Day-of-week is 0-7 with both 0 and 7 meaning Sunday; names (SUN-SAT, JAN-DEC) are accepted in
 * any case. Day rule (POSIX, as vixie cron and cronie implement it): when neither day field
 * starts with `*`, a day matches if EITHER field matches (`0 12 13 * FRI` fires on the 13th and
 * on every Friday); otherwise both must match, so `*\/2` in one day field and `FRI` in the
 * other means odd days that are Fridays. EventBridge-only characters (`?`, `L`, `W`, `#`) are
 * rejected (`?` and `#` with a message saying so, `L` and `W` as invalid values).
 */
import type { CronParseResult } from './aws-cron.js';
import { parseCronField, type CronFieldDef } from './cron-field.js';
import {
  DAY_OF_MONTH_FIELD,
  HOURS_FIELD,
  MINUTES_FIELD,
  MONTH_FIELD,
  SECONDS_FIELD,
  STANDARD_DAY_OF_WEEK_FIELD,
} from './field-defs.js';

const FIELD_LIST =
  '5 fields (minute hour day-of-month month day-of-week) or 6 with leading seconds';

/** Parses a trimmed, unwrapped expression. */
export function parseStandardCron(text: string): CronParseResult {
  const fields = text === '' ? [] : text.split(/\s+/);
  if (fields.length !== 5 && fields.length !== 6) {
    return { ok: false, message: `cron expression needs ${FIELD_LIST}, got ${fields.length}` };
  }
  const withSeconds = fields.length === 6 ? fields : ['0', ...fields];
  const defs: CronFieldDef[] = [
    SECONDS_FIELD,
    MINUTES_FIELD,
    HOURS_FIELD,
    DAY_OF_MONTH_FIELD,
    MONTH_FIELD,
    STANDARD_DAY_OF_WEEK_FIELD,
  ];
  const lists: number[][] = [];
  for (const [i, def] of defs.entries()) {
    const fieldText = withSeconds[i] ?? '';
    const special = /[?#]/.exec(fieldText);
    if (special !== null) {
      return {
        ok: false,
        message: `'${special[0]}' in ${def.label} is supported only in cron(...) expressions`,
      };
    }
    const parsed = parseCronField(fieldText, def);
    if (!parsed.ok) return parsed;
    lists.push(parsed.values);
  }
  const [seconds = [], minutes = [], hours = [], days = [], months = [], weekdays = []] = lists;
  const domText = withSeconds[3] ?? '';
  const dowText = withSeconds[5] ?? '';
  return {
    ok: true,
    schedule: {
      kind: 'cron',
      dialect: 'standard',
      expression: text,
      seconds,
      minutes,
      hours,
      months,
      years: undefined,
      dayOfMonth: domText === '*' ? { kind: 'any' } : { kind: 'days', days },
      dayOfWeek:
        dowText === '*'
          ? { kind: 'any' }
          : {
              kind: 'weekdays',
              weekdays: [...new Set(weekdays.map((d) => d % 7))].sort((a, b) => a - b),
            },
      dayCombination: domText.startsWith('*') || dowText.startsWith('*') ? 'all' : 'either',
    },
  };
}
