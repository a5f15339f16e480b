/**
 * @module
 * `rate(<n> minute|minutes|hour|hours|day|days)`: parsing and tick arithmetic.
 *
 * Ticks are anchored so that every replica computes the same ones: tick k (k >= 0) is
 * `anchor + k * interval`, where the anchor is the rule's creation time rounded up to a whole
 * second. Intervals are absolute durations, so `rate(1 day)` is every 24 hours regardless of
 * time zone or daylight saving.
 */
import { SECOND_MS } from './calendar.js';
import type { RateSchedule, RateUnit } from './types.js';

export type RateParseResult =
  | { readonly ok: true; readonly schedule: RateSchedule }
  | { readonly ok: false; readonly message: string };

const UNIT_MS: Readonly<Record<RateUnit, number>> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
};

const UNITS: Readonly<Record<string, { unit: RateUnit; plural: boolean }>> = {
  minute: { unit: 'minute', plural: false },
  minutes: { unit: 'minute', plural: true },
  hour: { unit: 'hour', plural: false },
  hours: { unit: 'hour', plural: true },
  day: { unit: 'day', plural: false },
  days: { unit: 'day', plural: true },
};

/** Parses `rate(...)`; `text` must already be trimmed and start with `rate(`. */
export function parseRate(text: string): RateParseResult {
  const fail = (message: string): RateParseResult => ({ ok: false, message });
  if (!text.endsWith(')')) return fail("rate(...) must end with ')'");
  const inner = text.slice('rate('.length, -1).trim();
  const parts = inner === '' ? [] : inner.split(/\s+/);
  const [valueText, unitText] = parts;
  if (parts.length !== 2 || valueText === undefined || unitText === undefined) {
    return fail(`rate(...) needs a value and a unit, e.g. rate(5 minutes), got '${inner}'`);
  }
  const value = /^\d+$/.test(valueText) ? Number(valueText) : 0;
  if (value < 1) return fail(`rate(...) value must be a positive integer, got '${valueText}'`);
  const unit = Object.hasOwn(UNITS, unitText) ? UNITS[unitText] : undefined;
  if (unit === undefined) {
    return fail(
      `rate(...) unit must be one of minute, minutes, hour, hours, day, days, got '${unitText}'`,
    );
  }
  if (value === 1 && unit.plural)
    return fail('rate(...) unit must be singular when the value is 1');
  if (value > 1 && !unit.plural) {
    return fail('rate(...) unit must be plural when the value is greater than 1');
  }
  const intervalMs = value * UNIT_MS[unit.unit];
  if (!Number.isSafeInteger(intervalMs)) return fail(`rate(...) value ${valueText} is too large`);
  return {
    ok: true,
    schedule: { kind: 'rate', expression: text, value, unit: unit.unit, intervalMs },
  };
}

/** Tick 0: the creation time rounded up to a whole second. */
export function rateFirstTick(anchorMs: number): number {
  return Math.ceil(anchorMs / SECOND_MS) * SECOND_MS;
}

export function rateNextAfter(schedule: RateSchedule, afterMs: number, anchorMs: number): number {
  const first = rateFirstTick(anchorMs);
  if (afterMs < first) return first;
  return first + (Math.floor((afterMs - first) / schedule.intervalMs) + 1) * schedule.intervalMs;
}

export function ratePreviousAtOrBefore(
  schedule: RateSchedule,
  atMs: number,
  anchorMs: number,
): number | undefined {
  const first = rateFirstTick(anchorMs);
  if (atMs < first) return undefined;
  return first + Math.floor((atMs - first) / schedule.intervalMs) * schedule.intervalMs;
}
