/**
 * @module
 * Converts between instants and wall times in one IANA time zone using only Intl. A wall time is
 * encoded as the epoch milliseconds it would have in UTC (see calendar.ts); offsets are
 * `wall - instant` in milliseconds and may include seconds (historic local mean time).
 */
import { DAY_MS, SECOND_MS, floorToSecond, wallMs } from './calendar.js';

export interface ZoneResolution {
  /** Instants showing this wall time, ascending: none in a gap, two in an overlap. */
  readonly instants: readonly number[];
  /** Offset a day before the wall time. */
  readonly offsetBefore: number;
  /** Offset a day after the wall time. */
  readonly offsetAfter: number;
}

/** @internal */
export interface ZoneClock {
  readonly timeZone: string;
  offsetAt(instantMs: number): number;
  wallAt(instantMs: number): number;
  resolve(wall: number): ZoneResolution;
  /**
   * The first whole-second instant in `(loMs, hiMs]` whose offset differs from the offset at
   * `loMs`; `hiMs` when the offset at `hiMs` does not differ. Both bounds are whole seconds.
   */
  transitionIn(loMs: number, hiMs: number): number;
}

export function isValidTimeZone(timeZone: string): boolean {
  if (timeZone === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Builds a clock for one zone. Throws a RangeError for an unknown zone. Each clock owns its
 * formatter; build one per computation rather than sharing a cache.
 * @internal
 */
export function createZoneClock(timeZone: string): ZoneClock {
  if (!isValidTimeZone(timeZone)) throw new RangeError(`unknown time zone '${timeZone}'`);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  const offsetAt = (instantMs: number): number => {
    const instant = floorToSecond(instantMs);
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(instant)) parts[part.type] = Number(part.value);
    const wall = wallMs({
      year: parts['year'] ?? 0,
      month: parts['month'] ?? 1,
      day: parts['day'] ?? 1,
      hour: parts['hour'] ?? 0,
      minute: parts['minute'] ?? 0,
      second: parts['second'] ?? 0,
    });
    return wall - instant;
  };
  const resolve = (wall: number): ZoneResolution => {
    const offsetBefore = offsetAt(wall - DAY_MS);
    const offsetAfter = offsetAt(wall + DAY_MS);
    const candidates = offsetBefore === offsetAfter ? [offsetBefore] : [offsetBefore, offsetAfter];
    const instants = candidates
      .map((offset) => wall - offset)
      .filter((instant) => offsetAt(instant) === wall - instant)
      .sort((a, b) => a - b);
    return { instants, offsetBefore, offsetAfter };
  };
  const transitionIn = (loMs: number, hiMs: number): number => {
    const base = offsetAt(loMs);
    if (offsetAt(hiMs) === base) return hiMs;
    let lo = loMs;
    let hi = hiMs;
    while (hi - lo > SECOND_MS) {
      const mid = lo + Math.floor((hi - lo) / (2 * SECOND_MS)) * SECOND_MS;
      if (offsetAt(mid) === base) lo = mid;
      else hi = mid;
    }
    return hi;
  };
  return {
    timeZone,
    offsetAt,
    wallAt: (instantMs) => floorToSecond(instantMs) + offsetAt(instantMs),
    resolve,
    transitionIn,
  };
}
