/**
 * @module
 * The pool's ProvisionedOffers on Redis: each call is sent at once on the worker's main
 * connection (never awaited by the pool except `take`), so Redis sees them in the order the
 * pool made them, and before a reply published later on the same connection. A failed write
 * is only logged: the reconciler's next round compares the pool with Redis and repairs it.
 */
import type { Logger, ProvisionedOffersStore } from '@lambdock/core';
import type { PoolEntry } from '../invoke/environment-pool.js';
import type { ProvisionedOffers } from '../invoke/pool-offers.js';
import { versionKey } from '../invoke/provisioned-slots.js';

export interface RedisOffersDeps {
  readonly store: Pick<ProvisionedOffersStore, 'offer' | 'take' | 'withdraw'>;
  readonly workerId: string;
  readonly logger: Logger;
}

export function createRedisOffers(deps: RedisOffersDeps): ProvisionedOffers {
  const keyOf = (e: PoolEntry): string => versionKey(e.functionName, e.version);
  const logged =
    (what: string, envId: string) =>
    (err: unknown): void =>
      deps.logger.warn({ err, envId }, `provisioned ${what} failed; next round repairs it`);
  return {
    offer(entry) {
      deps.store.offer(deps.workerId, keyOf(entry), entry.id).catch(logged('offer', entry.id));
    },
    async take(entry) {
      // Redis unreachable: run it here; a claim made meanwhile finds it busy and its job runs
      // on another environment, which is slower but never wrong.
      return deps.store.take(deps.workerId, keyOf(entry), entry.id).catch((err: unknown) => {
        logged('take', entry.id)(err);
        return true;
      });
    },
    withdraw(entry) {
      deps.store
        .withdraw(deps.workerId, keyOf(entry), entry.id)
        .catch(logged('withdraw', entry.id));
    },
  };
}
