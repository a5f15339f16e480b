/**
 * @module
 * The pool's side of offering idle provisioned environments (ProvisionedOffers, Redis in
 * production): an environment is offered while it is idle, initialized and provisioned; a job
 * that claimed it (through a gateway, or another worker running an async attempt) takes it with
 * no race left to settle; any other job takes it back first and leaves it to the claim when a
 * claim won the race. Kept apart from the pool's capacity bookkeeping (environment-pool.ts).
 */
import type { ExecutionEnvironment } from './environment.js';
import type { Acquired, PoolEntry } from './environment-pool.js';

/**
 * How the pool tells gateways and other workers about its idle provisioned environments
 * (provisioned/provisioned-offers.ts). Calls are ordered on one connection, so an offer made
 * before a reply is published is visible before the caller can invoke again.
 */
export interface ProvisionedOffers {
  /** Idle, initialized and free: gateways may claim it. */
  offer(entry: PoolEntry): void;
  /** Take it back for a job that did not claim it; false when a gateway claimed it first. */
  take(entry: PoolEntry): Promise<boolean>;
  /** No longer offered nor claimed: taken by the job that claimed it, retired, or dead. */
  withdraw(entry: PoolEntry): void;
}

export interface PoolOffersDeps {
  /** @defaultValue none: a single process has nobody to offer to. */
  readonly offers: ProvisionedOffers | undefined;
  /** Still in the pool (not retired meanwhile). */
  has(entry: PoolEntry): boolean;
  /** Mark busy and hand it to the job. */
  hand(entry: PoolEntry, env: ExecutionEnvironment): Acquired;
  /** The pool changed: waiters look again. */
  changed(): void;
}

export interface PoolOffers {
  /** Offer it (again): after its init, after a run, or when its offer was lost. */
  offer(entry: PoolEntry): void;
  /** The environment a claim named, for that very job. */
  takeClaimed(entry: PoolEntry, env: ExecutionEnvironment): Acquired;
  /**
   * An offered environment for a job that did not claim it. Undefined when a claim won the
   * race (left idle for the job on its way) or it died meanwhile.
   */
  takeOffered(entry: PoolEntry, env: ExecutionEnvironment): Promise<Acquired | undefined>;
  /** Gone from the pool: neither offered nor claimed any more. */
  withdraw(entry: PoolEntry): void;
}

export function createPoolOffers(deps: PoolOffersDeps): PoolOffers {
  const { offers } = deps;
  return {
    offer(entry) {
      entry.offered = true;
      offers?.offer(entry);
    },
    takeClaimed(entry, env) {
      if (entry.provisioned) offers?.withdraw(entry);
      entry.offered = false;
      return deps.hand(entry, env);
    },
    async takeOffered(entry, env) {
      // Busy while Redis answers, so no other job of this worker picks it meanwhile.
      entry.state = 'busy';
      entry.offered = false;
      const mine = offers === undefined ? true : await offers.take(entry);
      if (!deps.has(entry) || env.dead) return undefined;
      if (!mine) {
        entry.state = 'idle';
        deps.changed();
        return undefined;
      }
      return deps.hand(entry, env);
    },
    withdraw(entry) {
      if (entry.provisioned) offers?.withdraw(entry);
      entry.offered = false;
    },
  };
}
