/**
 * @module
 * Holds a concurrency lease while an invocation runs: renewed every third of its TTL (one
 * missed renewal leaves two more chances before it expires), released at the end, on its own
 * or handed over to a write that carries it. If the worker dies, renewals stop and the slot
 * comes back by itself after one TTL.
 */
import type { Logger } from '@lambdock/core';

export interface LeaseStore {
  renew(functionName: string, leaseId: string): Promise<boolean>;
  release(functionName: string, leaseId: string): Promise<void>;
}

export interface HeldLease {
  /** Stop renewing and release the slot. Never throws. */
  release(): Promise<void>;
  /**
   * Stop renewing and leave the release to the caller, who sends it with other writes (the
   * reply's delivery); `release()` then sends nothing. Undefined when already released.
   */
  handOver(): { functionName: string; leaseId: string } | undefined;
}

export function holdLease(
  store: LeaseStore,
  functionName: string,
  leaseId: string,
  renewEveryMs: number,
  logger: Logger,
): HeldLease {
  const timer = setInterval(() => {
    store.renew(functionName, leaseId).then(
      (alive) => {
        if (!alive) logger.warn({ functionName, leaseId }, 'concurrency lease had expired');
      },
      (err: unknown) => logger.warn({ err, functionName, leaseId }, 'lease renewal failed'),
    );
  }, renewEveryMs);
  timer.unref();
  let released: Promise<void> | undefined;
  return {
    handOver() {
      clearInterval(timer);
      if (released !== undefined) return undefined;
      released = Promise.resolve();
      return { functionName, leaseId };
    },
    release() {
      clearInterval(timer);
      released ??= store
        .release(functionName, leaseId)
        .catch((err: unknown) =>
          logger.warn({ err, functionName, leaseId }, 'lease release failed'),
        );
      return released;
    },
  };
}
