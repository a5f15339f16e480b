/**
 * @module
 * Provisioned concurrency in the pool: what the pool offers the reconciler and the async
 * attempts (ProvisionedPool), and pure look-ups over its entries: how many provisioned
 * environments each version has, which ones to let go when the count drops (idle and still
 * starting ones first, newest first; busy ones only lose the mark and finish their event), and
 * how busy they are.
 */
import type { FunctionRecord } from '@lambdock/core';
import type { PoolEntry } from './environment-pool.js';

export interface ProvisionedCount {
  readonly functionName: string;
  readonly version: string;
  ready: number;
  starting: number;
}

export interface ProvisionedPool {
  /** Start one provisioned environment and wait until its runtime has initialized. */
  startProvisioned(record: FunctionRecord): Promise<void>;
  /** Provisioned environments per `name:version`: initialized ones and ones still starting. */
  provisionedCounts(): Map<string, ProvisionedCount>;
  /** Keep at most `keep` provisioned environments of a version: idle extras are retired. */
  retireProvisioned(functionName: string, version: string, keep: number): void;
  /** Provisioned environments now: busy ones and all initialized ones. */
  provisionedUsage(): { busy: number; total: number };
  /** The provisioned environments, for the reconciler's look at what gateways see. */
  provisionedEntries(): readonly PoolEntry[];
  /**
   * Offer an idle provisioned environment again (its offer was lost, or its claim expired
   * without a job); false when it is not idle and provisioned.
   */
  reoffer(environmentId: string): boolean;
  /**
   * Versions (`name:version`) with provisioned environments anywhere in the fleet: an on-demand
   * run of one of them counts as spillover even on a worker that holds none of them.
   */
  setProvisionedTargets(keys: ReadonlySet<string>): void;
  /**
   * For an async attempt deciding where to run: whether the record's version has provisioned
   * environments anywhere in the fleet, and whether one of them is idle and offered here.
   */
  provisionedHere(record: FunctionRecord): { targeted: boolean; idle: boolean };
}

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
