/**
 * @module
 * Provisioned concurrency on the worker, one round a second on every worker. The worker marks
 * itself live for provisioning; the one holding the provisioning lock plans which live worker
 * keeps how many environments of each version (provisioned-leader.ts); each worker then starts
 * what its own share lacks (initialized ahead of traffic), retires what it holds beyond it
 * (only once the environments replacing them elsewhere are ready), reports what it has, and
 * repairs what gateways see of its idle environments (offer-repair.ts). A worker that stops
 * beating loses its share to the live ones within the liveness TTL.
 */
import {
  CAPACITY_REASON,
  INIT_FAILURE_REASON,
  type FunctionRecord,
  type Logger,
  type OfferSnapshot,
  type ProvisionedAssignment,
  type ProvisionedConcurrencyStore,
  type ProvisionedFleetStore,
  type ProvisionedOffersStore,
  type VersionRegistry,
  type WorkerShare,
} from '@lambdock/core';
import type { EnvironmentPool } from '../invoke/environment-pool.js';
import { InvokeSystemError } from '../invoke/invoker.js';
import { leaderRound, type LeaderDeps } from './provisioned-leader.js';
import { planOfferRepair } from './offer-repair.js';

export interface ProvisionedReconcilerDeps {
  readonly store: Pick<ProvisionedConcurrencyStore, 'list' | 'putProgress' | 'holdLock'>;
  readonly fleet: LeaderDeps['fleet'] & Pick<ProvisionedFleetStore, 'beat' | 'leave' | 'putReport'>;
  readonly offers: Pick<ProvisionedOffersStore, 'snapshot' | 'dropClaims' | 'dropOffers'>;
  readonly versions: Pick<VersionRegistry, 'getVersion' | 'getAlias'>;
  readonly pool: Pick<
    EnvironmentPool,
    | 'startProvisioned'
    | 'provisionedCounts'
    | 'retireProvisioned'
    | 'provisionedEntries'
    | 'reoffer'
    | 'setProvisionedTargets'
  >;
  readonly workerId: string;
  readonly lockTtlMs: number;
  /** How long this worker counts as live for provisioning after each round. */
  readonly liveTtlMs: number;
  /** A claim whose job has not arrived after this long is offered again. */
  readonly claimTtlMs: number;
  readonly retryDelayMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface ProvisionedReconciler {
  /** One round; rounds do not overlap (a round still running makes the next a no-op). */
  tick(): Promise<void>;
  /** Stop for good and leave at once, so gateways stop claiming here (clean shutdown). */
  stop(): Promise<void>;
}

/** `function:version` (neither contains `:`). */
function parseKey(key: string): { name: string; version: string } {
  const at = key.lastIndexOf(':');
  return { name: key.slice(0, at), version: key.slice(at + 1) };
}

export function createProvisionedReconciler(
  deps: ProvisionedReconcilerDeps,
): ProvisionedReconciler {
  const now = deps.now ?? Date.now;
  /** Last failed start per version: its reason and when another may be tried. */
  const failures = new Map<string, { reason: string | undefined; retryAt: number }>();
  let running = false;
  let stopped = false;

  const start = (key: string, record: FunctionRecord): void => {
    deps.pool.startProvisioned(record).then(
      // An init that works clears an init failure; a full pool stays reported until the
      // share is held (another start may have found the pool full meanwhile).
      () => {
        if (failures.get(key)?.reason !== CAPACITY_REASON) failures.delete(key);
      },
      (err: unknown) => {
        const platform = err instanceof InvokeSystemError;
        if (platform && err.failure === 'aborted') return;
        deps.logger.warn({ err, functionName: record.name }, 'provisioned environment failed');
        // A full pool is reported (the config is FAILED until there is room); other platform
        // faults (the engine) are only retried.
        const reason = !platform
          ? INIT_FAILURE_REASON
          : err.failure === 'capacity'
            ? CAPACITY_REASON
            : undefined;
        failures.set(key, { reason, retryAt: now() + deps.retryDelayMs });
      },
    );
  };

  const applyShare = async (share: Readonly<Record<string, WorkerShare>>): Promise<void> => {
    for (const [key, count] of deps.pool.provisionedCounts()) {
      if (share[key] === undefined)
        deps.pool.retireProvisioned(count.functionName, count.version, 0);
    }
    for (const [key, { target, keep }] of Object.entries(share)) {
      const { name, version } = parseKey(key);
      deps.pool.retireProvisioned(name, version, Math.max(target, keep));
      const have = deps.pool.provisionedCounts().get(key);
      const missing = target - (have?.ready ?? 0) - (have?.starting ?? 0);
      const failure = failures.get(key);
      if (missing <= 0 && failure?.reason === CAPACITY_REASON && !have?.starting)
        failures.delete(key);
      if (missing <= 0 || (failure !== undefined && failure.retryAt > now())) continue;
      const record = await deps.versions.getVersion(name, version);
      if (record === undefined) continue;
      for (let i = 0; i < missing; i++) start(key, record);
    }
  };

  const report = async (): Promise<void> => {
    const versions: Record<string, { ready: number; starting: number }> = {};
    for (const [key, c] of deps.pool.provisionedCounts())
      versions[key] = { ready: c.ready, starting: c.starting };
    const failed: Record<string, string> = {};
    for (const [key, f] of failures) if (f.reason !== undefined) failed[key] = f.reason;
    await deps.fleet.putReport(deps.workerId, { versions, failures: failed });
  };

  /** `targets`: every provisioned version, so offers left by an earlier life are found too. */
  const repairOffers = async (targets: readonly string[]): Promise<void> => {
    const keys = [...new Set([...targets, ...deps.pool.provisionedCounts().keys()])];
    if (keys.length === 0) return;
    const snapshot: OfferSnapshot = await deps.offers.snapshot(deps.workerId, keys);
    // Decided on the pool as it is now, after the read: whatever the pool did meanwhile went to
    // Redis after the read, on the same connection, and agrees with what the pool says now.
    const repair = planOfferRepair(deps.pool.provisionedEntries(), snapshot, deps.claimTtlMs);
    for (const e of repair.offer) deps.pool.reoffer(e.id);
    for (const [key, ids] of repair.dropOffers)
      await deps.offers.dropOffers(deps.workerId, key, ids);
    await deps.offers.dropClaims(deps.workerId, repair.dropClaims);
  };

  const round = async (): Promise<void> => {
    await deps.fleet.beat(deps.workerId, deps.liveTtlMs);
    const leader = await deps.store.holdLock(deps.workerId, deps.lockTtlMs);
    const plan: ProvisionedAssignment = leader
      ? await leaderRound(deps)
      : await deps.fleet.assignment();
    deps.pool.setProvisionedTargets(new Set(Object.keys(plan.targets)));
    await applyShare(plan.workers[deps.workerId] ?? {});
    await report();
    await repairOffers(Object.keys(plan.targets));
  };

  return {
    async tick() {
      if (running || stopped) return;
      running = true;
      try {
        await round();
      } finally {
        running = false;
      }
    },
    async stop() {
      stopped = true;
      await deps.fleet.leave(deps.workerId);
    },
  };
}
