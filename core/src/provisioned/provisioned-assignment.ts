/**
 * @module
 * Which worker keeps how many provisioned environments of each version. The worker holding
 * the provisioning lock computes this plan every round from the live workers and writes it to
 * Redis; every worker then starts or retires its own share. Pure, so it is tested without Redis.
 *
 * Counts spread evenly; the remainder of a version goes to the workers with the least planned
 * so far (then to the one that had it before, so a plan does not flap, then by id). A worker
 * over its share keeps its extras (`keep`) until the others have the missing ones ready:
 * moving an environment starts the new one before the old one goes, so a READY config stays
 * READY while workers join.
 */

/** Version key: `function:version`. */
export type VersionKey = string;

export interface WorkerShare {
  /** Environments this worker should have. */
  readonly target: number;
  /** At least this many of its initialized ones stay (≥ target): hand-over in progress. */
  readonly keep: number;
}

export interface ProvisionedAssignment {
  /** Every version with provisioned environments, and how many in all. */
  readonly targets: Readonly<Record<VersionKey, number>>;
  readonly workers: Readonly<Record<string, Readonly<Record<VersionKey, WorkerShare>>>>;
}

export interface PlanInput {
  readonly wanted: ReadonlyMap<VersionKey, number>;
  /** Live worker ids. */
  readonly live: readonly string[];
  readonly previous?: ProvisionedAssignment;
  /** Initialized provisioned environments each live worker last reported, per version. */
  readonly ready: ReadonlyMap<string, ReadonlyMap<VersionKey, number>>;
}

export const EMPTY_ASSIGNMENT: ProvisionedAssignment = Object.freeze({
  targets: {},
  workers: {},
});

function spread(
  count: number,
  workers: readonly string[],
  load: Map<string, number>,
  had: (worker: string) => number,
): Map<string, number> {
  const base = Math.floor(count / workers.length);
  const order = [...workers].sort(
    (a, b) =>
      (load.get(a) ?? 0) - (load.get(b) ?? 0) || had(b) - had(a) || (a < b ? -1 : a > b ? 1 : 0),
  );
  const remainder = count - base * workers.length;
  const targets = new Map<string, number>();
  order.forEach((worker, i) => targets.set(worker, base + (i < remainder ? 1 : 0)));
  for (const [worker, n] of targets) load.set(worker, (load.get(worker) ?? 0) + n);
  return targets;
}

/** Extras kept by workers over their target while the version lacks ready environments elsewhere. */
function keeps(
  key: VersionKey,
  count: number,
  targets: Map<string, number>,
  ready: PlanInput['ready'],
): Map<string, number> {
  const readyOf = (worker: string): number => ready.get(worker)?.get(key) ?? 0;
  const workers = [...targets.keys()].sort();
  let surplus = Math.max(0, workers.reduce((sum, w) => sum + readyOf(w), 0) - count);
  const result = new Map<string, number>();
  for (const worker of workers) {
    const target = targets.get(worker) ?? 0;
    const over = Math.max(0, readyOf(worker) - target);
    const released = Math.min(over, surplus);
    surplus -= released;
    result.set(worker, target + over - released);
  }
  return result;
}

export function planAssignment(input: PlanInput): ProvisionedAssignment {
  const live = [...new Set(input.live)].sort();
  const targets: Record<VersionKey, number> = {};
  const workers: Record<string, Record<VersionKey, WorkerShare>> = {};
  for (const worker of live) workers[worker] = {};
  const load = new Map<string, number>();
  const keysInOrder = [...input.wanted.keys()].sort();
  for (const key of keysInOrder) {
    const count = input.wanted.get(key) ?? 0;
    if (count <= 0) continue;
    targets[key] = count;
    if (live.length === 0) continue;
    const had = (worker: string): number => input.previous?.workers[worker]?.[key]?.target ?? 0;
    const split = spread(count, live, load, had);
    const kept = keeps(key, count, split, input.ready);
    for (const worker of live) {
      const target = split.get(worker) ?? 0;
      const keep = kept.get(worker) ?? target;
      const mine = workers[worker];
      if (mine !== undefined && (target > 0 || keep > 0)) mine[key] = { target, keep };
    }
  }
  return { targets, workers };
}
