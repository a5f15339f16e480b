/**
 * @module
 * Lambda's retry policy for async events, as pure decisions. A function error (handler error,
 * timeout, runtime crash) spends one of MaximumRetryAttempts and waits `base * 2^(n-1)` (1, then
 * 2 minutes with Lambda's base); when that wait would carry the event past its maximum age it
 * ends now as EventAgeExceeded, as Lambda does. Throttles and platform errors go back to the
 * queue with their own backoff and spend nothing. An event older than its maximum age never
 * starts an attempt.
 */
import { WORKER_DEFAULTS } from '../defaults.js';

export type AsyncDecision =
  | { kind: 'complete' }
  | { kind: 'retry'; delayMs: number }
  | { kind: 'exhausted' }
  | { kind: 'expired' };

export interface RunFacts {
  outcome: 'success' | 'function-error';
  /** Function errors so far, this attempt's included. */
  functionErrors: number;
  maximumRetryAttempts: number;
  retryBaseDelayMs: number;
  /** Time since the event was accepted, now. */
  ageMs: number;
  maximumEventAgeMs: number;
}

/** Delay before retry number `failures` (1 = the first retry). */
export function retryDelayMs(retryBaseDelayMs: number, failures: number): number {
  return retryBaseDelayMs * 2 ** Math.max(0, failures - 1);
}

export function isExpired(ageMs: number, maximumEventAgeMs: number): boolean {
  return ageMs > maximumEventAgeMs;
}

export function decideAfterRun(facts: RunFacts): AsyncDecision {
  if (facts.outcome === 'success') return { kind: 'complete' };
  if (facts.functionErrors > facts.maximumRetryAttempts) return { kind: 'exhausted' };
  const delayMs = retryDelayMs(facts.retryBaseDelayMs, facts.functionErrors);
  if (isExpired(facts.ageMs + delayMs, facts.maximumEventAgeMs)) return { kind: 'expired' };
  return { kind: 'retry', delayMs };
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
