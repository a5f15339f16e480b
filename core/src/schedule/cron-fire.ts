/**
 * @module
 * Maps a cron schedule's wall times to instants in one time zone.
 *
 * The tick set is defined on wall times: every selected wall time that exists fires once, at the
 * first instant showing it. So a wall time inside a spring-forward gap never fires (02:30 on the
 * day Berlin jumps from 02:00 to 03:00 is skipped, not moved), and a wall time inside a
 * fall-back overlap fires at its first occurrence only (02:30 on the day Berlin goes from 03:00
 * back to 02:00 fires at 02:30 CEST and not again at 02:30 CET; an hourly schedule therefore has
 * no tick at 02:00 CET). The first-occurrence instants grow with the wall time, which is what lets
 * both searches below work on wall times and bisect on instants.
 */
import { DAY_MS, SECOND_MS, floorToSecond, wallFields } from './calendar.js';
import type { CronSchedule } from './types.js';
import { nextWallMatch } from './wall-search.js';
import type { ZoneClock } from './zone-clock.js';

/** How far a standard (yearless) expression is searched; the Gregorian calendar repeats every 400 years. */
export const STANDARD_SEARCH_YEARS = 400;

/** Each step crosses one offset change; 400 years hold far fewer than this in any zone. */
const MAX_ZONE_STEPS = 10_000;

/** The first tick strictly after `afterMs`. */
export function cronNextAfter(
  schedule: CronSchedule,
  afterMs: number,
  zone: ZoneClock,
): number | undefined {
  let wall = zone.wallAt(floorToSecond(afterMs) + SECOND_MS);
  const maxYear = schedule.years?.at(-1) ?? wallFields(wall).year + STANDARD_SEARCH_YEARS;
  for (let step = 0; step < MAX_ZONE_STEPS; step++) {
    const match = nextWallMatch(schedule, wall, maxYear);
    if (match === undefined) return undefined;
    const { instants, offsetBefore, offsetAfter } = zone.resolve(match);
    const [first, second] = instants;
    if (first !== undefined && first > afterMs) return first;
    if (first === undefined && offsetAfter > offsetBefore) {
      // In a gap: resume at the first wall time after it, the wall time of the transition.
      wall = zone.wallAt(zone.transitionIn(match - offsetAfter, match - offsetBefore));
    } else if (first !== undefined && second !== undefined) {
      // In an overlap whose first pass is already behind us: resume where the overlap ends.
      wall = zone.transitionIn(first, second) + (match - first);
    } else {
      wall = match + SECOND_MS;
    }
  }
  throw new Error(`schedule '${schedule.expression}' did not converge in ${zone.timeZone}`);
}

/** The last tick at or before `atMs`: widen a window backwards, then bisect on its start. */
export function cronPreviousAtOrBefore(
  schedule: CronSchedule,
  atMs: number,
  zone: ZoneClock,
): number | undefined {
  const at = floorToSecond(atMs);
  const firstYear = schedule.years?.[0];
  const floor = floorToSecond(
    firstYear === undefined
      ? at - STANDARD_SEARCH_YEARS * 365 * DAY_MS
      : Date.UTC(firstYear, 0, 1) - 2 * DAY_MS,
  );
  const tickBy = (from: number): boolean => {
    const next = cronNextAfter(schedule, from, zone);
    return next !== undefined && next <= at;
  };
  let span = 60 * SECOND_MS;
  let lo = at - span;
  while (!tickBy(lo)) {
    if (lo <= floor) return undefined;
    span *= 2;
    lo = Math.max(at - span, floor);
  }
  // Invariant: a tick lies in (lo, at], none in (hi, at].
  let hi = at;
  while (hi - lo > SECOND_MS) {
    const mid = lo + Math.floor((hi - lo) / (2 * SECOND_MS)) * SECOND_MS;
    if (tickBy(mid)) lo = mid;
    else hi = mid;
  }
  return cronNextAfter(schedule, lo, zone);
}
