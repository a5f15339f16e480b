import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseSchedule, type Schedule, type ScheduleRecord } from '@lambdock/core';
import { planTicks } from '../src/fire/plan.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const MIN = 60_000;

function rule(expression: string, createdAtMs = T0): { rule: ScheduleRecord; schedule: Schedule } {
  const parsed = parseSchedule(expression);
  assert.ok(parsed.ok);
  return {
    rule: {
      name: 'r',
      expression,
      timeZone: 'UTC',
      functionName: 'f',
      state: 'ENABLED',
      createdAtMs,
      managedBy: 'api',
    },
    schedule: parsed.schedule,
  };
}

describe('planTicks', () => {
  const opts = { catchUpMs: 5 * MIN, maxPerPass: 100 };

  it('fires nothing before the first tick after creation', () => {
    const { rule: r, schedule } = rule('cron(* * * * ? *)', T0 + 10_000);
    assert.deepEqual(planTicks(r, schedule, undefined, { ...opts, nowMs: T0 + 59_000 }), {
      due: [],
      missed: 0,
      lastMissed: undefined,
      next: T0 + MIN,
    });
  });

  it('fires the tick that came due, once its time has passed', () => {
    const { rule: r, schedule } = rule('cron(* * * * ? *)', T0 + 10_000);
    const plan = planTicks(r, schedule, undefined, { ...opts, nowMs: T0 + MIN + 5 });
    assert.deepEqual(plan.due, [T0 + MIN]);
    assert.equal(plan.next, T0 + 2 * MIN);
  });

  it('never plans a tick already recorded', () => {
    const { rule: r, schedule } = rule('cron(* * * * ? *)');
    const state = { lastTickMs: T0 + MIN, firedAtMs: T0 + MIN };
    assert.deepEqual(planTicks(r, schedule, state, { ...opts, nowMs: T0 + MIN + 30_000 }).due, []);
  });

  it('fires every tick missed within the catch-up window, oldest first (a hand-over)', () => {
    const { rule: r, schedule } = rule('*/2 * * * * *');
    const state = { lastTickMs: T0, firedAtMs: T0 };
    const plan = planTicks(r, schedule, state, { ...opts, nowMs: T0 + 7_000 });
    assert.deepEqual(plan.due, [T0 + 2000, T0 + 4000, T0 + 6000]);
    assert.equal(plan.missed, 0);
  });

  it('skips and counts ticks older than the catch-up window: no burst after an outage', () => {
    const { rule: r, schedule } = rule('cron(* * * * ? *)');
    const state = { lastTickMs: T0, firedAtMs: T0 };
    const plan = planTicks(r, schedule, state, { ...opts, nowMs: T0 + 60 * MIN + 1 });
    // The window starts at T0+55min+1ms: ticks 1..55 are older and skipped; 56..60 fire.
    assert.equal(plan.missed, 55);
    assert.equal(plan.lastMissed, T0 + 55 * MIN);
    assert.deepEqual(
      plan.due,
      [56, 57, 58, 59, 60].map((m) => T0 + m * MIN),
    );
  });

  it('bounds the ticks fired per pass', () => {
    const { rule: r, schedule } = rule('* * * * * *');
    const state = { lastTickMs: T0, firedAtMs: T0 };
    const plan = planTicks(r, schedule, state, {
      catchUpMs: MIN,
      maxPerPass: 3,
      nowMs: T0 + 30_000,
    });
    assert.deepEqual(plan.due, [T0 + 1000, T0 + 2000, T0 + 3000]);
    assert.equal(plan.next, T0 + 4000);
  });

  it('counts a very long outage without walking every tick', () => {
    const { rule: r, schedule } = rule('* * * * * *');
    const state = { lastTickMs: T0, firedAtMs: T0 };
    const nowMs = T0 + 30 * 86_400_000;
    const plan = planTicks(r, schedule, state, { catchUpMs: 2000, maxPerPass: 10, nowMs });
    assert.equal(plan.missed, 10_000);
    assert.equal(plan.lastMissed, nowMs - 3000);
    assert.deepEqual(plan.due, [nowMs - 2000, nowMs - 1000, nowMs]);
  });

  it('anchors rate ticks at the creation time', () => {
    const created = T0 + 12_345;
    const { rule: r, schedule } = rule('rate(5 minutes)', created);
    const plan = planTicks(r, schedule, undefined, {
      ...opts,
      catchUpMs: 60 * MIN,
      nowMs: created + 11 * MIN,
    });
    const anchor = T0 + 13_000; // rounded up to a whole second
    assert.deepEqual(plan.due, [anchor + 5 * MIN, anchor + 10 * MIN]);
  });
});
