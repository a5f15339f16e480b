/**
 * @module
 * Which ticks of a rule are due, given what was fired last: pure, so the policy is tested
 * without clocks. The policy, in full:
 * - a rule fires each tick after its creation, once, with that tick's time in its event
 *   (`rate(5 minutes)` first fires five minutes after creation);
 * - ticks missed while no leader ran (a restart, a hand-over) are fired late if they are at most
 *   `catchUpMs` old, each once and in order, so a hand-over leaves no hole;
 * - older missed ticks are skipped and counted as misses, never fired: a scheduler that was down
 *   for a day does not burst a day of ticks;
 * - at most `maxPerPass` ticks per rule per pass, so one rule cannot starve the others.
 */
import {
  nextFireAfter,
  previousFireAtOrBefore,
  type Schedule,
  type ScheduleRecord,
  type ScheduleState,
} from '@lambdock/core';

export interface PlanOptions {
  nowMs: number;
  catchUpMs: number;
  maxPerPass: number;
}

export interface TickPlan {
  /** Ticks to fire now, oldest first. */
  due: number[];
  /** Ticks too old to fire (counted, then skipped). */
  missed: number;
  /** The newest skipped tick: recorded as passed so it is not counted again. */
  lastMissed: number | undefined;
  /** The next tick after the due ones, for display and sleeping. */
  next: number | undefined;
}

/** Count missed ticks up to this many; a longer outage still reports this number. */
const MISSED_COUNT_CAP = 10_000;

export function planTicks(
  rule: ScheduleRecord,
  schedule: Schedule,
  state: ScheduleState | undefined,
  options: PlanOptions,
): TickPlan {
  const fire = { timeZone: rule.timeZone, anchorMs: rule.createdAtMs };
  const next = (after: number): number | undefined => nextFireAfter(schedule, after, fire);
  // A new rule starts after its creation (a rate's first tick is one interval after it); a
  // known one after its last recorded tick.
  const after = state?.lastTickMs ?? Math.ceil(rule.createdAtMs / 1000) * 1000;
  const oldest = options.nowMs - options.catchUpMs;
  let missed = 0;
  let lastMissed: number | undefined;
  let tick = next(after);
  while (tick !== undefined && tick < oldest && tick <= options.nowMs) {
    missed += 1;
    lastMissed = tick;
    if (missed >= MISSED_COUNT_CAP) {
      lastMissed = previousFireAtOrBefore(schedule, oldest - 1, fire) ?? tick;
      tick = next(lastMissed);
      break;
    }
    tick = next(tick);
  }
  const due: number[] = [];
  while (tick !== undefined && tick <= options.nowMs && due.length < options.maxPerPass) {
    due.push(tick);
    tick = next(tick);
  }
  return { due, missed, lastMissed, next: tick };
}
