/**
 * @module
 * Holds a concurrency lease while an invocation runs: renewed every third of its TTL (one
 * missed renewal leaves two more chances before it expires), released at the end. If the
 * worker dies, renewals stop and the slot comes back by itself after one TTL.
 */
import type { Logger } from '@lambdock/core';

export interface LeaseStore {
  renew(functionName: string, leaseId: string): Promise<boolean>;
  release(functionName: string, leaseId: string): Promise<void>;
}

export interface HeldLease {
  /** Stop renewing and release the slot. Never throws. */
  release(): Promise<void>;
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
