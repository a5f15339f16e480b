/**
 * @module
 * The provisioning lock holder's part of a round: read every config, resolve each to the
 * versions it provisions (an alias's count split between its versions by their weights), plan
 * which live worker keeps how many (core's planAssignment), write the plan, and report each
 * config's progress from what the live workers say they have ready.
 */
import {
  isVersionNumber,
  planAssignment,
  progressFor,
  splitProvisioned,
  type ProvisionedAssignment,
  type ProvisionedConcurrencyStore,
  type ProvisionedConfig,
  type ProvisionedFleetStore,
  type VersionPart,
  type VersionRegistry,
  type WorkerReport,
} from '@lambdock/core';
import { versionKey } from '../invoke/provisioned-slots.js';

export interface LeaderDeps {
  readonly store: Pick<ProvisionedConcurrencyStore, 'list' | 'putProgress'>;
  readonly fleet: Pick<
    ProvisionedFleetStore,
    'liveWorkers' | 'assignment' | 'putAssignment' | 'reports' | 'sweep'
  >;
  readonly versions: Pick<VersionRegistry, 'getVersion' | 'getAlias'>;
}

interface Resolved {
  readonly config: ProvisionedConfig;
  /** Published versions only, each with its part of the requested count. */
  readonly parts: readonly VersionPart[];
}

async function partsOf(deps: LeaderDeps, config: ProvisionedConfig): Promise<VersionPart[]> {
  const { functionName: name, qualifier, requested } = config;
  if (isVersionNumber(qualifier)) return [{ version: qualifier, count: requested }];
  const alias = await deps.versions.getAlias(name, qualifier);
  if (alias === undefined) return [];
  return splitProvisioned(requested, alias.functionVersion, alias.additionalVersionWeights);
}

/** Configs with the parts that name an existing published version. */
async function resolveConfigs(deps: LeaderDeps): Promise<Resolved[]> {
  const resolved: Resolved[] = [];
  const exists = new Map<string, boolean>();
  for (const config of await deps.store.list()) {
    const parts: VersionPart[] = [];
    for (const part of await partsOf(deps, config)) {
      if (!isVersionNumber(part.version)) continue;
      const key = versionKey(config.functionName, part.version);
      if (!exists.has(key))
        exists.set(
          key,
          (await deps.versions.getVersion(config.functionName, part.version)) !== undefined,
        );
      if (exists.get(key) === true) parts.push(part);
    }
    if (parts.length > 0) resolved.push({ config, parts });
  }
  return resolved;
}

/** A version named by several configs (two aliases) gets the largest count asked for it. */
function wantedOf(resolved: readonly Resolved[]): Map<string, number> {
  const wanted = new Map<string, number>();
  for (const { config, parts } of resolved) {
    for (const part of parts) {
      const key = versionKey(config.functionName, part.version);
      wanted.set(key, Math.max(wanted.get(key) ?? 0, part.count));
    }
  }
  return wanted;
}

function readyTotals(live: readonly string[], reports: Map<string, WorkerReport>) {
  const ready = new Map<string, Map<string, number>>();
  const totals = new Map<string, number>();
  const failures = new Map<string, string>();
  for (const worker of live) {
    const report = reports.get(worker);
    if (report === undefined) continue;
    const mine = new Map<string, number>();
    for (const [key, count] of Object.entries(report.versions)) {
      mine.set(key, count.ready);
      totals.set(key, (totals.get(key) ?? 0) + count.ready);
    }
    ready.set(worker, mine);
    for (const [key, reason] of Object.entries(report.failures)) failures.set(key, reason);
  }
  return { ready, totals, failures };
}

export async function leaderRound(deps: LeaderDeps): Promise<ProvisionedAssignment> {
  const resolved = await resolveConfigs(deps);
  const [live, previous, reports] = await Promise.all([
    deps.fleet.liveWorkers(),
    deps.fleet.assignment(),
    deps.fleet.reports(),
  ]);
  const { ready, totals, failures } = readyTotals(live, reports);
  const plan = planAssignment({ wanted: wantedOf(resolved), live, previous, ready });
  await deps.fleet.putAssignment(plan, previous);
  for (const { config, parts } of resolved) {
    const keys = parts.map((p) => versionKey(config.functionName, p.version));
    const allocated = parts.reduce(
      (sum, p, i) => sum + Math.min(p.count, totals.get(keys[i] ?? '') ?? 0),
      0,
    );
    const failure = keys.map((k) => failures.get(k)).find((r) => r !== undefined);
    await deps.store.putProgress(
      config.functionName,
      config.qualifier,
      progressFor(config.requested, allocated, failure),
    );
  }
  await deps.fleet.sweep(live, [...reports.keys()], Object.keys(plan.targets));
  return plan;
}
