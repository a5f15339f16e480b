/**
 * @module
 * Acquisitions waiting for the pool to change (an environment freed, retired or started): sync
 * callers are woken, and so served, before async ones. A waiter with a deadline gives up then,
 * with a timer armed only while it actually waits: most acquisitions find an environment at once.
 */
import { InvokeSystemError } from './invoker.js';

interface Waiter {
  priority: 'sync' | 'async';
  wake: () => void;
}

export interface CapacityWaiters {
  /**
   * Resolves at the pool's next change; rejects with an `aborted` InvokeSystemError at
   * `giveUpAt` (epoch ms, `now`'s clock), if given.
   */
  wait(priority: 'sync' | 'async', giveUpAt?: number): Promise<void>;
  /** Wakes every waiter (each looks at the pool again). */
  wakeAll(): void;
}

export const gaveUpWaiting = (): InvokeSystemError =>
  new InvokeSystemError('aborted', 'gave up waiting for capacity', false);

export function createCapacityWaiters(now: () => number): CapacityWaiters {
  let waiters: Waiter[] = [];
  return {
    wait: (priority, giveUpAt) =>
      new Promise((resolve, reject) => {
        const timer =
          giveUpAt === undefined
            ? undefined
            : setTimeout(
                () => {
                  waiters = waiters.filter((w) => w !== waiter);
                  reject(gaveUpWaiting());
                },
                Math.max(1, giveUpAt - now()),
              );
        const waiter: Waiter = {
          priority,
          wake: () => {
            clearTimeout(timer);
            resolve();
          },
        };
        if (priority === 'sync') {
          const firstAsync = waiters.findIndex((w) => w.priority === 'async');
          waiters.splice(firstAsync === -1 ? waiters.length : firstAsync, 0, waiter);
        } else waiters.push(waiter);
      }),
    wakeAll() {
      const woken = waiters;
      waiters = [];
      for (const w of woken) w.wake();
    },
  };
}
