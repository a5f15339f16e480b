/**
 * @module
 * The parsed forms of a schedule expression. Plain data, so a parsed schedule can be compared,
 * logged or re-derived from its `expression` on any replica.
 */

/** Unit of a `rate(...)` expression, singular form. */
export type RateUnit = 'minute' | 'hour' | 'day';

/** `rate(<n> <unit>)`: fixed-interval ticks counted from the rule's anchor. */
export interface RateSchedule {
  readonly kind: 'rate';
  /** The expression as given (outer whitespace trimmed). */
  readonly expression: string;
  readonly value: number;
  readonly unit: RateUnit;
  readonly intervalMs: number;
}

/** `aws`: EventBridge `cron(...)` (6 fields, minute precision); `standard`: 5 or 6 unwrapped fields. */
export type CronDialect = 'aws' | 'standard';

/** Day-of-month rule. Days are 1-31. */
export type DayOfMonthRule =
  | { readonly kind: 'any' }
  | { readonly kind: 'days'; readonly days: readonly number[] }
  | { readonly kind: 'last' }
  | { readonly kind: 'nearest-weekday'; readonly day: number | 'last' };

/** Day-of-week rule. Weekdays use one numbering in both dialects: 0 = Sunday ... 6 = Saturday. */
export type DayOfWeekRule =
  | { readonly kind: 'any' }
  | { readonly kind: 'weekdays'; readonly weekdays: readonly number[] }
  | { readonly kind: 'last-in-month'; readonly weekday: number }
  | { readonly kind: 'nth-in-month'; readonly weekday: number; readonly nth: number };

/** A cron expression of either dialect, normalised to sorted value lists. */
export interface CronSchedule {
  readonly kind: 'cron';
  readonly dialect: CronDialect;
  /** The expression as given (outer whitespace trimmed). */
  readonly expression: string;
  /** Always `[0]` unless a 6-field standard expression names seconds. */
  readonly seconds: readonly number[];
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  /** 1 = January. */
  readonly months: readonly number[];
  /** `undefined` = every year (standard dialect); AWS lists its years (1970-2199). */
  readonly years: readonly number[] | undefined;
  readonly dayOfMonth: DayOfMonthRule;
  readonly dayOfWeek: DayOfWeekRule;
  /**
   * `all`: a day must satisfy both day rules (`any` always does). `either`: one is enough, the
   * POSIX rule when a standard expression restricts both day fields.
   */
  readonly dayCombination: 'all' | 'either';
}

export type Schedule = RateSchedule | CronSchedule;

export type ScheduleParseResult =
  | { readonly ok: true; readonly schedule: Schedule }
  | { readonly ok: false; readonly message: string };
