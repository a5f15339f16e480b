/**
 * @module
 * Provisioned concurrency on the worker. Each round, the worker holding the provisioning lock
 * reads every config, resolves an alias to its version, starts what is missing (initialized
 * ahead of traffic), retires extras and environments whose config is gone, and reports the
 * count it has ready (READY once all are up). A worker without the lock keeps none, so there
 * is one set of provisioned environments however many workers run.
 */
import {
  isVersionNumber,
  progressFor,
  type FunctionRecord,
  type Logger,
  type ProvisionedConcurrencyStore,
  type ProvisionedConfig,
  type VersionRegistry,
} from '@lambdock/core';
import type { EnvironmentPool } from '../invoke/environment-pool.js';
import { InvokeSystemError } from '../invoke/invoker.js';
import { versionKey } from '../invoke/provisioned-slots.js';

export interface ProvisionedReconcilerDeps {
  readonly store: Pick<ProvisionedConcurrencyStore, 'list' | 'putProgress' | 'holdLock'>;
  readonly versions: Pick<VersionRegistry, 'getVersion' | 'getAlias'>;
  readonly pool: Pick<
    EnvironmentPool,
    'startProvisioned' | 'provisionedCounts' | 'retireProvisioned'
  >;
  readonly workerId: string;
  readonly lockTtlMs: number;
  readonly retryDelayMs: number;
  readonly logger: Logger;
  readonly now?: () => number;
}

export interface ProvisionedReconciler {
  /** One round; rounds do not overlap (a round still running makes the next a no-op). */
  tick(): Promise<void>;
}

interface Wanted {
  readonly record: FunctionRecord;
  readonly version: string;
  readonly configs: ProvisionedConfig[];
  requested: number;
}

/** AWS's reason when the function's init fails in a provisioned environment. */
export const INIT_FAILURE_REASON = 'FUNCTION_ERROR_INIT_FAILURE';

async function wantedVersions(
  deps: ProvisionedReconcilerDeps,
  configs: readonly ProvisionedConfig[],
): Promise<Map<string, Wanted>> {
  const wanted = new Map<string, Wanted>();
  for (const config of configs) {
    const { functionName: name, qualifier } = config;
    const version = isVersionNumber(qualifier)
      ? qualifier
      : (await deps.versions.getAlias(name, qualifier))?.functionVersion;
    if (version === undefined || !isVersionNumber(version)) continue;
    const record = await deps.versions.getVersion(name, version);
    if (record === undefined) continue;
    const key = versionKey(name, version);
    const entry = wanted.get(key) ?? { record, version, configs: [], requested: 0 };
    entry.configs.push(config);
    entry.requested = Math.max(entry.requested, config.requested);
    wanted.set(key, entry);
  }
  return wanted;
}

export function createProvisionedReconciler(
  deps: ProvisionedReconcilerDeps,
): ProvisionedReconciler {
  const now = deps.now ?? Date.now;
  /** Last failed start per version: its reason and when another may be tried. */
  const failures = new Map<string, { reason: string | undefined; retryAt: number }>();
  let running = false;

  const start = (key: string, record: FunctionRecord): void => {
    deps.pool.startProvisioned(record).then(
      () => failures.delete(key),
      (err: unknown) => {
        const platform = err instanceof InvokeSystemError;
        if (platform && err.failure === 'aborted') return;
        deps.logger.warn({ err, functionName: record.name }, 'provisioned environment failed');
        failures.set(key, {
          reason: platform ? undefined : INIT_FAILURE_REASON,
          retryAt: now() + deps.retryDelayMs,
        });
      },
    );
  };

  const round = async (): Promise<void> => {
    const leader = await deps.store.holdLock(deps.workerId, deps.lockTtlMs);
    const wanted = leader
      ? await wantedVersions(deps, await deps.store.list())
      : new Map<string, Wanted>();
    for (const [key, count] of deps.pool.provisionedCounts()) {
      if (!wanted.has(key)) deps.pool.retireProvisioned(count.functionName, count.version, 0);
    }
    for (const [key, want] of wanted) {
      const { record, version, requested } = want;
      deps.pool.retireProvisioned(record.name, version, requested);
      const have = deps.pool.provisionedCounts().get(key);
      const missing = requested - (have?.ready ?? 0) - (have?.starting ?? 0);
      const failure = failures.get(key);
      if (failure === undefined || failure.retryAt <= now()) {
        for (let i = 0; i < missing; i++) start(key, record);
      }
      for (const config of want.configs) {
        const progress = progressFor(config.requested, have?.ready ?? 0, failure?.reason);
        await deps.store.putProgress(config.functionName, config.qualifier, progress);
      }
    }
  };

  return {
    async tick() {
      if (running) return;
      running = true;
      try {
        await round();
      } finally {
        running = false;
      }
    },
  };
}
