/**
 * @module
 * Pure look-ups over the pool's entries for provisioned concurrency: how many provisioned
 * environments each version has, which ones to let go when the count drops (idle and still
 * starting ones first, newest first; busy ones only lose the mark and finish their event), and
 * how busy they are.
 */
import type { PoolEntry, ProvisionedCount } from './environment-pool.js';

export const versionKey = (functionName: string, version: string): string =>
  `${functionName}:${version}`;

export function countProvisioned(entries: Iterable<PoolEntry>): Map<string, ProvisionedCount> {
  const counts = new Map<string, ProvisionedCount>();
  for (const e of entries) {
    if (!e.provisioned) continue;
    const key = versionKey(e.functionName, e.version);
    const count = counts.get(key) ?? {
      functionName: e.functionName,
      version: e.version,
      ready: 0,
      starting: 0,
    };
    if (e.state === 'starting') count.starting += 1;
    else count.ready += 1;
    counts.set(key, count);
  }
  return counts;
}

const RELEASE_ORDER: Record<PoolEntry['state'], number> = { starting: 0, idle: 1, busy: 2 };

/** The provisioned entries of a version beyond the first `keep`, in the order to release. */
export function provisionedExtras(
  entries: Iterable<PoolEntry>,
  functionName: string,
  version: string,
  keep: number,
): PoolEntry[] {
  const mine = [...entries].filter(
    (e) => e.provisioned && e.functionName === functionName && e.version === version,
  );
  const excess = mine.length - Math.max(0, keep);
  if (excess <= 0) return [];
  return mine
    .sort((a, b) => RELEASE_ORDER[a.state] - RELEASE_ORDER[b.state] || b.lastUsedAt - a.lastUsedAt)
    .slice(0, excess);
}

export function provisionedUsage(entries: Iterable<PoolEntry>): { busy: number; total: number } {
  let busy = 0;
  let total = 0;
  for (const e of entries) {
    if (!e.provisioned || e.state === 'starting') continue;
    total += 1;
    if (e.state === 'busy') busy += 1;
  }
  return { busy, total };
}

/**
 * How the pool tells gateways about its idle provisioned environments (Redis in production,
 * see provisioned/provisioned-offers.ts). Calls are ordered on one connection, so an offer made
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
