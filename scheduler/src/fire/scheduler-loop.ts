/**
 * @module
 * The scheduler's loop. Every pass: hold (or try to take) the leader lock; if leading, read the
 * rules and their state, and fire each due tick as an async invocation whose request id is
 * derived from the rule and the tick. Exactly once per tick: only the leader fires; the job id
 * makes a second add of the same tick a no-op while the job exists; and the recorded last tick
 * only moves forward, so a tick already recorded is never planned again.
 */
import {
  parseSchedule,
  ruleArn,
  scheduledEvent,
  tickEventId,
  tickRequestId,
  functionArn,
  type InvokeJobData,
  type JsonValue,
  type Logger,
  type Schedule,
  type ScheduleRecord,
  type ScheduleState,
} from '@lambdock/core';
import type { SchedulerMetrics } from '../metrics.js';
import type { LeaderLock } from './leader-lock.js';
import { planTicks } from './plan.js';

export interface SchedulerLoopDeps {
  lock: LeaderLock;
  rules: { list(): Promise<ScheduleRecord[]> };
  states: {
    all(): Promise<Map<string, ScheduleState>>;
    advance(name: string, state: ScheduleState): Promise<boolean>;
  };
  enqueue(job: InvokeJobData): Promise<void>;
  metrics: SchedulerMetrics;
  logger: Logger;
  now: () => number;
  settings: {
    region: string;
    accountId: string;
    pollMs: number;
    catchUpMs: number;
    maxPerPass: number;
  };
}

export interface SchedulerLoop {
  /** One pass; exposed for tests. */
  pass(): Promise<void>;
  start(): void;
  /** Stop after the current pass and give the lock up. */
  stop(): Promise<void>;
}

function parsed(cache: Map<string, Schedule | null>, expression: string): Schedule | null {
  let hit = cache.get(expression);
  if (hit === undefined) {
    const result = parseSchedule(expression);
    hit = result.ok ? result.schedule : null;
    cache.set(expression, hit);
  }
  return hit;
}

export function createSchedulerLoop(deps: SchedulerLoopDeps): SchedulerLoop {
  const { settings, metrics, logger } = deps;
  const expressions = new Map<string, Schedule | null>();
  let leading = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  const fireTick = async (rule: ScheduleRecord, tickMs: number): Promise<void> => {
    const arn = ruleArn(settings.region, settings.accountId, rule.name);
    const event = scheduledEvent({
      id: tickEventId(rule.name, tickMs),
      account: settings.accountId,
      region: settings.region,
      ruleArn: arn,
      tickMs,
      ...(rule.input === undefined ? {} : { input: JSON.parse(rule.input) as JsonValue }),
    });
    await deps.enqueue({
      requestId: tickRequestId(rule.name, tickMs),
      functionName: rule.functionName,
      // As configured: the worker resolves a version or an alias when the attempt runs.
      qualifier: rule.qualifier ?? '$LATEST',
      invokedArn: functionArn(settings, rule.functionName, rule.qualifier),
      payload: JSON.stringify(event),
      logTail: false,
      acceptedAt: deps.now(),
    });
    const firedAtMs = deps.now();
    await deps.states.advance(rule.name, { lastTickMs: tickMs, firedAtMs });
    metrics.fires.inc({ schedule: rule.name });
    metrics.fireDelay.observe((firedAtMs - tickMs) / 1000);
  };

  const runRule = async (rule: ScheduleRecord, state: ScheduleState | undefined): Promise<void> => {
    const schedule = parsed(expressions, rule.expression);
    if (schedule === null || rule.state !== 'ENABLED') return;
    const plan = planTicks(rule, schedule, state, {
      nowMs: deps.now(),
      catchUpMs: settings.catchUpMs,
      maxPerPass: settings.maxPerPass,
    });
    if (plan.missed > 0 && plan.lastMissed !== undefined) {
      metrics.misses.inc({ schedule: rule.name }, plan.missed);
      logger.warn(
        { schedule: rule.name, missed: plan.missed },
        'skipped ticks older than the catch-up window',
      );
      await deps.states.advance(rule.name, {
        lastTickMs: plan.lastMissed,
        firedAtMs: state?.firedAtMs ?? 0,
      });
    }
    for (const tick of plan.due) await fireTick(rule, tick);
  };

  const pass = async (): Promise<void> => {
    leading = await deps.lock.hold();
    metrics.leader.set(leading ? 1 : 0);
    if (!leading) return;
    const [rules, states] = await Promise.all([deps.rules.list(), deps.states.all()]);
    const results = await Promise.allSettled(rules.map((r) => runRule(r, states.get(r.name))));
    for (const [i, result] of results.entries()) {
      if (result.status === 'rejected')
        logger.warn(
          { err: result.reason as unknown, schedule: rules[i]?.name },
          'fire failed; retried next pass',
        );
    }
  };

  const loop = (): void => {
    if (stopped) return;
    running = pass()
      .catch((err: unknown) => {
        leading = false;
        metrics.leader.set(0);
        logger.warn({ err }, 'scheduler pass failed');
      })
      .finally(() => {
        if (!stopped) timer = setTimeout(loop, settings.pollMs);
      });
  };

  return {
    pass,
    start: loop,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running;
      if (leading) await deps.lock.release().catch(() => undefined);
    },
  };
}
