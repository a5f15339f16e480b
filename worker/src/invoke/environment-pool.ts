/**
 * @module
 * The worker's execution environments, keyed by function name + version + generation (an
 * update of `$LATEST` bumps its generation, so it never reuses an environment of the old
 * definition; a published version never changes, so its environments stay warm across updates
 * of `$LATEST`, and only the idle timeout retires them). Capacity is a
 * count (WORKER_MAX_ENVIRONMENTS) and a memory budget (sum of MemorySize). When full, the
 * least recently used idle environment is evicted; when nothing is idle the caller waits, sync
 * callers ahead of async ones (capacity-waiters.ts). Idle environments are reaped after the
 * idle timeout; an older generation's are torn down once no environment is starting
 * (start-quiet.ts).
 *
 * Provisioned environments (provisioned concurrency) are started and initialized ahead of
 * traffic, served before any on-demand environment of their version, and never reaped or
 * evicted; the provisioning reconciler decides how many there are (see provisioned-slots.ts).
 * While idle they are offered to gateways and other workers (pool-offers.ts): whoever claims
 * one sends its job to this worker naming it, and a job that did not claim it takes it back
 * first (an environment claimed meanwhile is left to the job on its way).
 */
import { randomBytes } from 'node:crypto';
import type { FunctionRecord, Logger } from '@lambdock/core';
import { createCapacityWaiters, gaveUpWaiting } from './capacity-waiters.js';
import type { ExecutionEnvironment } from './environment.js';
import { InvokeSystemError } from './invoker.js';
import { createPoolOffers, type ProvisionedOffers } from './pool-offers.js';
import { createStartQuiet } from './start-quiet.js';
import {
  countProvisioned,
  provisionedExtras,
  provisionedUsage,
  versionKey,
  type ProvisionedPool,
} from './provisioned-slots.js';

export type EntryState = 'starting' | 'idle' | 'busy';

export interface PoolEntry {
  readonly id: string;
  readonly key: string;
  readonly functionName: string;
  /** `$LATEST` or the published version the environment runs. */
  readonly version: string;
  readonly generation: number;
  readonly memoryMb: number;
  state: EntryState;
  lastUsedAt: number;
  env: ExecutionEnvironment | undefined;
  /** Kept ready by provisioned concurrency; cleared when the count drops while it is busy. */
  provisioned: boolean;
  /**
   * Provisioned, idle and offered to gateways. Idle and provisioned but not offered means a
   * gateway claimed it: only the job naming it may take it (until the claim expires).
   */
  offered: boolean;
}

export interface Acquired {
  readonly entry: PoolEntry;
  readonly env: ExecutionEnvironment;
  readonly cold: boolean;
  /** Served by a provisioned environment. */
  readonly provisioned: boolean;
  /** Not provisioned although the version has provisioned environments (all were busy). */
  readonly spillover: boolean;
}

export interface PoolStats {
  starting: number;
  idle: number;
  busy: number;
  memoryMb: number;
}

export interface EnvironmentPoolOptions {
  maxEnvironments: number;
  memoryBudgetMb: number;
  idleTimeoutMs: number;
  create(
    record: FunctionRecord,
    environmentId: string,
    options?: { provisioned: boolean },
  ): Promise<ExecutionEnvironment>;
  logger: Logger;
  now?: () => number;
  /** Mirrors idle provisioned environments to gateways. @defaultValue none (single process). */
  offers?: ProvisionedOffers;
  /**
   * The longest an older generation's teardown waits for starts to finish: starts that follow
   * one another must not keep containers the pool no longer counts alive.
   * @defaultValue 3 s
   */
  staleTeardownMaxWaitMs?: number;
}

/** Longer than a container's start (create, start, network) on a busy host. */
const STALE_TEARDOWN_MAX_WAIT_MS = 3_000;

/** Provisioned concurrency's part of the pool: see ProvisionedPool (provisioned-slots.ts). */
export interface EnvironmentPool extends ProvisionedPool {
  /**
   * `giveUpAt`: when (epoch ms, the pool's clock) to stop waiting for capacity, if ever.
   * `environmentId`: the provisioned environment a gateway claimed for this job, if any.
   */
  acquire(
    record: FunctionRecord,
    priority: 'sync' | 'async',
    giveUpAt?: number,
    environmentId?: string,
  ): Promise<Acquired>;
  release(entry: PoolEntry, reusable: boolean): void;
  stats(): PoolStats;
  /** Remove environments idle for longer than the idle timeout. */
  reapIdle(): Promise<number>;
  /** Kill every environment, busy ones included. */
  shutdown(): Promise<void>;
  /** True once shutdown has begun. */
  readonly closing: boolean;
}

/** `$LATEST` for the function's own record, else the published version it is. */
const versionOf = (record: FunctionRecord): string => record.version ?? '$LATEST';

export const envKey = (name: string, version: string, generation: number): string =>
  `${name}:${version}#${generation}`;

export function createEnvironmentPool(options: EnvironmentPoolOptions): EnvironmentPool {
  const now = options.now ?? Date.now;
  const entries = new Map<string, PoolEntry>();
  const waiters = createCapacityWaiters(now);
  const retiring = new Set<Promise<void>>();
  let closing = false;
  let targets: ReadonlySet<string> = new Set();

  const stats = (): PoolStats => {
    const s: PoolStats = { starting: 0, idle: 0, busy: 0, memoryMb: 0 };
    for (const e of entries.values()) {
      s[e.state] += 1;
      s.memoryMb += e.memoryMb;
    }
    return s;
  };
  const changed = (): void => {
    waiters.wakeAll();
  };
  const starts = createStartQuiet(options.staleTeardownMaxWaitMs ?? STALE_TEARDOWN_MAX_WAIT_MS);

  /**
   * Out of the pool at once; its container is torn down now, or, with `afterStarts`, when no
   * environment is being started (start-quiet.ts).
   */
  const retire = (entry: PoolEntry, afterStarts = false): void => {
    if (!entries.delete(entry.id)) return;
    offered.withdraw(entry);
    const destroy = (): Promise<void> => entry.env?.destroy() ?? Promise.resolve();
    const torn = afterStarts ? starts.quiet().then(destroy) : destroy();
    const done = torn.catch((err: unknown) =>
      options.logger.warn({ err, envId: entry.id }, 'environment destroy failed'),
    );
    retiring.add(done);
    void done.finally(() => retiring.delete(done));
    changed();
  };
  const fits = (memoryMb: number): boolean => {
    const s = stats();
    return (
      entries.size < options.maxEnvironments && s.memoryMb + memoryMb <= options.memoryBudgetMb
    );
  };
  const idleEntries = (): PoolEntry[] => [...entries.values()].filter((e) => e.state === 'idle');
  /** Idle on-demand environments, least recently used first: provisioned ones stay. */
  const evictable = (): PoolEntry[] =>
    idleEntries()
      .filter((e) => !e.provisioned)
      .sort((a, b) => a.lastUsedAt - b.lastUsedAt);

  /** Older definitions of the same version (in practice `$LATEST`: versions never change). */
  const retireStaleGenerations = (record: FunctionRecord): void => {
    const version = versionOf(record);
    for (const e of idleEntries()) {
      if (
        e.functionName === record.name &&
        e.version === version &&
        e.generation < record.generation
      )
        retire(e, true);
    }
  };

  const newEntry = (record: FunctionRecord, provisioned: boolean): PoolEntry => {
    const entry: PoolEntry = {
      id: randomBytes(6).toString('hex'),
      key: envKey(record.name, versionOf(record), record.generation),
      functionName: record.name,
      version: versionOf(record),
      generation: record.generation,
      memoryMb: record.memoryMb,
      state: 'starting',
      lastUsedAt: now(),
      env: undefined,
      provisioned,
      offered: false,
    };
    entries.set(entry.id, entry);
    changed();
    return entry;
  };

  const startNew = (record: FunctionRecord, spillover: boolean): Promise<Acquired> =>
    starts.track(startFresh(record, spillover));

  const startFresh = async (record: FunctionRecord, spillover: boolean): Promise<Acquired> => {
    const entry = newEntry(record, false);
    try {
      const env = await options.create(record, entry.id);
      if (!entries.has(entry.id)) {
        // Shut down while this container was starting: it must not outlive the pool.
        await env.destroy();
        throw new InvokeSystemError('aborted', 'worker is shutting down', true);
      }
      entry.env = env;
      entry.state = 'busy';
      env.onDeath(() => retire(entry));
      changed();
      return { entry, env, cold: true, provisioned: false, spillover };
    } catch (err) {
      entries.delete(entry.id);
      changed();
      throw err;
    }
  };

  const usable = (e: PoolEntry, key: string): e is PoolEntry & { env: ExecutionEnvironment } =>
    e.key === key && e.state === 'idle' && e.env !== undefined && !e.env.dead;

  const hand = (entry: PoolEntry, env: ExecutionEnvironment, spillover: boolean): Acquired => {
    entry.state = 'busy';
    entry.lastUsedAt = now();
    changed();
    const provisioned = entry.provisioned;
    return { entry, env, cold: false, provisioned, spillover: !provisioned && spillover };
  };
  const offered = createPoolOffers({
    offers: options.offers,
    has: (entry) => entries.has(entry.id),
    hand: (entry, env) => hand(entry, env, false),
    changed,
  });

  const isSpillover = (record: FunctionRecord, key: string): boolean =>
    targets.has(versionKey(record.name, versionOf(record))) ||
    [...entries.values()].some((e) => e.provisioned && e.key === key);

  const acquire = async (
    record: FunctionRecord,
    priority: 'sync' | 'async',
    giveUpAt?: number,
    environmentId?: string,
  ): Promise<Acquired> => {
    if (record.memoryMb > options.memoryBudgetMb) {
      throw new InvokeSystemError(
        'capacity',
        `MemorySize ${record.memoryMb} MB exceeds WORKER_MEMORY_BUDGET_MB`,
        false,
      );
    }
    const key = envKey(record.name, versionOf(record), record.generation);
    for (;;) {
      if (closing) throw new InvokeSystemError('aborted', 'worker is shutting down', true);
      if (giveUpAt !== undefined && now() > giveUpAt) throw gaveUpWaiting();
      retireStaleGenerations(record);
      const claimed = environmentId === undefined ? undefined : entries.get(environmentId);
      if (claimed !== undefined && usable(claimed, key))
        return offered.takeClaimed(claimed, claimed.env);
      // Offered provisioned ones first, then the most recently used: the others age out.
      const warm = idleEntries()
        .filter((e) => usable(e, key) && (!e.provisioned || e.offered))
        .sort(
          (a, b) => Number(b.provisioned) - Number(a.provisioned) || b.lastUsedAt - a.lastUsedAt,
        )[0];
      if (warm?.env !== undefined && warm.provisioned) {
        const taken = await offered.takeOffered(warm, warm.env);
        if (taken !== undefined) return taken;
        continue;
      }
      const spillover = isSpillover(record, key);
      if (warm?.env !== undefined) return hand(warm, warm.env, spillover);
      if (fits(record.memoryMb)) return startNew(record, spillover);
      const victim = evictable()[0];
      if (victim) {
        retire(victim);
        continue;
      }
      await waiters.wait(priority, giveUpAt);
    }
  };

  /** Like startNew, but the environment waits initialized and idle, marked provisioned. */
  const startProvisioned = async (record: FunctionRecord): Promise<void> => {
    if (closing) throw new InvokeSystemError('aborted', 'worker is shutting down', true);
    for (;;) {
      if (fits(record.memoryMb)) break;
      const victim = evictable()[0];
      if (!victim)
        throw new InvokeSystemError('capacity', 'no room for a provisioned environment', true);
      retire(victim);
    }
    const entry = newEntry(record, true);
    let env: ExecutionEnvironment | undefined;
    try {
      env = await options.create(record, entry.id, { provisioned: true });
      await env.awaitInit();
      if (!entries.has(entry.id)) throw new InvokeSystemError('aborted', 'no longer wanted', true);
    } catch (err) {
      entries.delete(entry.id);
      await env?.destroy();
      changed();
      throw err;
    }
    entry.env = env;
    entry.state = 'idle';
    entry.lastUsedAt = now();
    env.onDeath(() => retire(entry));
    offered.offer(entry);
    changed();
  };

  return {
    acquire,
    release(entry, reusable) {
      if (!entries.has(entry.id)) return;
      if (!reusable || entry.env === undefined || entry.env.dead) return retire(entry);
      entry.state = 'idle';
      entry.lastUsedAt = now();
      // Offered before the reply goes out (same Redis connection, so Redis sees it first): a
      // caller invoking again at once finds this environment idle.
      if (entry.provisioned) offered.offer(entry);
      changed();
    },
    stats,
    async reapIdle() {
      const cutoff = now() - options.idleTimeoutMs;
      const expired = idleEntries().filter((e) => !e.provisioned && e.lastUsedAt <= cutoff);
      for (const e of expired) retire(e);
      await Promise.all([...retiring]);
      return expired.length;
    },
    get closing() {
      return closing;
    },
    startProvisioned,
    provisionedCounts: () => countProvisioned(entries.values()),
    retireProvisioned(functionName, version, keep) {
      for (const e of provisionedExtras(entries.values(), functionName, version, keep)) {
        if (e.state === 'busy') e.provisioned = false;
        else retire(e);
      }
    },
    provisionedUsage: () => provisionedUsage(entries.values()),
    provisionedEntries: () => [...entries.values()].filter((e) => e.provisioned),
    reoffer(environmentId) {
      const entry = entries.get(environmentId);
      if (entry === undefined || !entry.provisioned || entry.state !== 'idle') return false;
      const wasOffered = entry.offered;
      offered.offer(entry);
      if (!wasOffered) changed();
      return true;
    },
    setProvisionedTargets(keys) {
      targets = keys;
    },
    provisionedHere(record) {
      const key = envKey(record.name, versionOf(record), record.generation);
      const idle = idleEntries().some((e) => e.provisioned && e.offered && usable(e, key));
      return { targeted: idle || isSpillover(record, key), idle };
    },
    async shutdown() {
      closing = true;
      changed();
      starts.release();
      for (const e of [...entries.values()]) retire(e);
      await Promise.all([...retiring]);
    },
  };
}
