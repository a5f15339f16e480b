/**
 * @module
 * Each round, the pool's provisioned environments against what Redis offers and claims for this
 * worker, and the writes that make Redis agree: an idle environment missing from its set is
 * offered again (its offer was lost, or the claim script dropped it while this worker looked
 * dead); a claim older than the claim TTL whose job never came is re-offered; busy or vanished
 * environments stop being offered; claims of environments that are gone are dropped. Pure.
 */
import type { OfferSnapshot } from '@lambdock/core';
import type { PoolEntry } from '../invoke/environment-pool.js';
import { versionKey } from '../invoke/provisioned-slots.js';

export interface OfferRepair {
  /** Idle environments to offer again: the offer was lost, or the claim's job never came. */
  readonly offer: PoolEntry[];
  /** Offers to remove, per version key (environment ids). */
  readonly dropOffers: Map<string, string[]>;
  /** Claims to remove: environment id -> version key. */
  readonly dropClaims: Map<string, string>;
}

export function planOfferRepair(
  entries: readonly PoolEntry[],
  snapshot: OfferSnapshot,
  claimTtlMs: number,
): OfferRepair {
  const repair: OfferRepair = {
    offer: [],
    dropOffers: new Map(),
    dropClaims: new Map(),
  };
  const byId = new Map(entries.map((e) => [e.id, e]));
  const expired = (id: string): boolean => {
    const claim = snapshot.claimed.get(id);
    return claim !== undefined && snapshot.now - claim.at >= claimTtlMs;
  };
  for (const e of entries) {
    const key = versionKey(e.functionName, e.version);
    const inSet = snapshot.offered.get(key)?.has(e.id) ?? false;
    const claimed = snapshot.claimed.has(e.id);
    if (e.state !== 'idle') {
      if (inSet) repair.dropOffers.set(key, [...(repair.dropOffers.get(key) ?? []), e.id]);
      continue;
    }
    // Not in the set and claimed: a job is on its way, unless the claim is too old.
    if (inSet && e.offered) continue;
    if (!claimed || expired(e.id)) repair.offer.push(e);
  }
  for (const [key, ids] of snapshot.offered) {
    const gone = [...ids].filter((id) => byId.get(id) === undefined);
    if (gone.length > 0)
      repair.dropOffers.set(key, [...(repair.dropOffers.get(key) ?? []), ...gone]);
  }
  for (const [id, claim] of snapshot.claimed) {
    if (byId.get(id) === undefined && expired(id)) repair.dropClaims.set(id, claim.versionKey);
  }
  return repair;
}
