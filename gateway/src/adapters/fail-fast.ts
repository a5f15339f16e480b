/**
 * @module
 * Redis trouble must become 503 ServiceException quickly, never a hung request and never a
 * generic 500. The producer connection already fails at once while disconnected
 * (enableOfflineQueue off); this adds a deadline for a Redis that is connected but not answering
 * (or a BullMQ queue still waiting for its first connection) and maps every Redis failure.
 */
import { AppError, ERRORS, isAppError, withDeadline } from '@lambdock/core';

function unavailable(cause: unknown): AppError {
  return new AppError(ERRORS.SERVICE_UNAVAILABLE, 'Redis did not answer; nothing was stored.', {
    cause,
  });
}

/** Settle `work` within `timeoutMs`; AppErrors pass through, anything else becomes a 503. */
export async function failFast<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  try {
    return await withDeadline(work, timeoutMs);
  } catch (err) {
    throw isAppError(err) ? err : unavailable(err);
  }
}

/**
 * Wrap every promise-returning method of `target` with failFast. Used for the registry, leases
 * and log store, whose methods all talk to Redis.
 */
export function guardRedis<T extends object>(target: T, timeoutMs: number): T {
  return new Proxy(target, {
    get(obj, prop, receiver) {
      const value: unknown = Reflect.get(obj, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]): unknown => {
        const result: unknown = (value as (...a: unknown[]) => unknown).apply(obj, args);
        return result instanceof Promise ? failFast(result, timeoutMs) : result;
      };
    },
  });
}
