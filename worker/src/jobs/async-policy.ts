/**
 * @module
 * Decisions for async events that did not simply succeed. Today a function error completes
 * the event; Lambda's retry policy (MaximumRetryAttempts, 1 and 2 minute delays, maximum
 * event age, dead-letter destinations) plugs in here without touching the processor.
 */
import { WORKER_DEFAULTS } from '../defaults.js';
import type { InvokeResult } from '../invoke/invoker.js';

/**
 * `retry` fails the attempt through BullMQ, so the job's own `attempts` and `backoff` options
 * (set by whoever enqueues it) count and space the retries, and exhaustion lands in `failed`.
 */
export type AsyncDecision = { kind: 'complete' } | { kind: 'retry'; reason: string };

export function decideAfterRun(_result: InvokeResult, _attemptsMade: number): AsyncDecision {
  return { kind: 'complete' };
}

/**
 * How long an event that found no free concurrency waits before trying again. Stateless:
 * the delay grows with the event's age (a quarter of it), from 1 s up to 5 minutes, with
 * jitter so a burst of throttled events does not return as one burst.
 */
export function throttleDelayMs(ageMs: number, random = Math.random): number {
  const base = Math.min(
    Math.max(ageMs / 4, WORKER_DEFAULTS.THROTTLE_DELAY_MIN_MS),
    WORKER_DEFAULTS.THROTTLE_DELAY_MAX_MS,
  );
  return Math.round(base * (0.8 + 0.4 * random()));
}
