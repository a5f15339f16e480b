/**
 * @module
 * When a schedule fires: the public entry points over rate and cron schedules.
 *
 * Ticks are whole-second instants (epoch milliseconds).
 * - rate: `anchor + k * interval` for k >= 0, the anchor being the rule's creation time rounded
 *   up to a whole second; time zones do not apply.
 * - cron: fields are read as wall-clock time in the rule's IANA zone (default UTC). Daylight
 *   saving: a wall time that does not exist (spring forward) is skipped, and a wall time that
 *   occurs twice (fall back) fires once, at its first occurrence. AWS expressions stop after their
 *   last year (at most 2199); standard expressions are searched 400 years ahead.
 */
import { cronNextAfter, cronPreviousAtOrBefore } from './cron-fire.js';
import { rateNextAfter, ratePreviousAtOrBefore } from './rate.js';
import type { Schedule } from './types.js';
import { createZoneClock } from './zone-clock.js';

export interface FireTimeOptions {
  /**
   * IANA zone in which cron fields are read. An unknown zone throws a RangeError.
   * @defaultValue 'UTC'
   */
  readonly timeZone?: string;
  /** The rule's creation time (epoch ms); rate ticks count from it. Cron ignores it. */
  readonly anchorMs: number;
}

function checkInstant(name: string, value: number): void {
  if (!Number.isFinite(value))
    throw new RangeError(`${name} must be a finite number, got ${value}`);
}

/** The first tick strictly after `afterMs`, or `undefined` when there is none. */
export function nextFireAfter(
  schedule: Schedule,
  afterMs: number,
  options: FireTimeOptions,
): number | undefined {
  checkInstant('afterMs', afterMs);
  if (schedule.kind === 'rate') {
    checkInstant('anchorMs', options.anchorMs);
    return rateNextAfter(schedule, afterMs, options.anchorMs);
  }
  return cronNextAfter(schedule, afterMs, createZoneClock(options.timeZone ?? 'UTC'));
}

/** The last tick at or before `atMs`, or `undefined` when there is none. */
export function previousFireAtOrBefore(
  schedule: Schedule,
  atMs: number,
  options: FireTimeOptions,
): number | undefined {
  checkInstant('atMs', atMs);
  if (schedule.kind === 'rate') {
    checkInstant('anchorMs', options.anchorMs);
    return ratePreviousAtOrBefore(schedule, atMs, options.anchorMs);
  }
  return cronPreviousAtOrBefore(schedule, atMs, createZoneClock(options.timeZone ?? 'UTC'));
}
