/**
 * @module
 * The worker's execution environments, keyed by function name + version + generation (an
 * update of `$LATEST` bumps its generation, so it never reuses an environment of the old
 * definition; a published version never changes, so its environments stay warm across updates
 * of `$LATEST`, and only the idle timeout retires them). Capacity is a
 * count (WORKER_MAX_ENVIRONMENTS) and a memory budget (sum of MemorySize). When full, the
 * least recently used idle environment is evicted; when nothing is idle the caller waits, sync
 * callers ahead of async ones. Idle environments are reaped after the idle timeout.
 */
import { randomBytes } from 'node:crypto';
import type { FunctionRecord, Logger } from '@lambdock/core';
import type { ExecutionEnvironment } from './environment.js';
import { InvokeSystemError } from './invoker.js';

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
}

export interface Acquired {
  readonly entry: PoolEntry;
  readonly env: ExecutionEnvironment;
  readonly cold: boolean;
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
  create(record: FunctionRecord, environmentId: string): Promise<ExecutionEnvironment>;
  logger: Logger;
  onChange?(stats: PoolStats): void;
  now?: () => number;
}

export interface EnvironmentPool {
  acquire(
    record: FunctionRecord,
    priority: 'sync' | 'async',
    signal?: AbortSignal,
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

interface Waiter {
  priority: 'sync' | 'async';
  wake: () => void;
}

export function createEnvironmentPool(options: EnvironmentPoolOptions): EnvironmentPool {
  const now = options.now ?? Date.now;
  const entries = new Map<string, PoolEntry>();
  let waiters: Waiter[] = [];
  const retiring = new Set<Promise<void>>();
  let closing = false;

  const stats = (): PoolStats => {
    const s: PoolStats = { starting: 0, idle: 0, busy: 0, memoryMb: 0 };
    for (const e of entries.values()) {
      s[e.state] += 1;
      s.memoryMb += e.memoryMb;
    }
    return s;
  };
  const changed = (): void => {
    options.onChange?.(stats());
    const woken = waiters;
    waiters = [];
    for (const w of woken) w.wake();
  };
  const retire = (entry: PoolEntry): void => {
    if (!entries.delete(entry.id)) return;
    const done = (entry.env?.destroy() ?? Promise.resolve()).catch((err: unknown) =>
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

  /** Older definitions of the same version (in practice `$LATEST`: versions never change). */
  const retireStaleGenerations = (record: FunctionRecord): void => {
    const version = versionOf(record);
    for (const e of idleEntries()) {
      if (
        e.functionName === record.name &&
        e.version === version &&
        e.generation < record.generation
      )
        retire(e);
    }
  };

  const startNew = async (record: FunctionRecord): Promise<Acquired> => {
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
    };
    entries.set(entry.id, entry);
    changed();
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
      return { entry, env, cold: true };
    } catch (err) {
      entries.delete(entry.id);
      changed();
      throw err;
    }
  };

  const waitForChange = (priority: 'sync' | 'async', signal?: AbortSignal): Promise<void> =>
    new Promise((resolve, reject) => {
      const onAbort = (): void => {
        waiters = waiters.filter((w) => w !== waiter);
        reject(new InvokeSystemError('aborted', 'gave up waiting for capacity', false));
      };
      const waiter: Waiter = {
        priority,
        wake: () => {
          signal?.removeEventListener('abort', onAbort);
          resolve();
        },
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      // Sync callers are woken (and so served) before async ones.
      if (priority === 'sync') {
        const firstAsync = waiters.findIndex((w) => w.priority === 'async');
        waiters.splice(firstAsync === -1 ? waiters.length : firstAsync, 0, waiter);
      } else waiters.push(waiter);
    });

  const acquire = async (
    record: FunctionRecord,
    priority: 'sync' | 'async',
    signal?: AbortSignal,
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
      if (signal?.aborted)
        throw new InvokeSystemError('aborted', 'gave up waiting for capacity', false);
      retireStaleGenerations(record);
      // Most recently used first: the others age out and scale down.
      const warm = idleEntries()
        .filter((e) => e.key === key && e.env !== undefined && !e.env.dead)
        .sort((a, b) => b.lastUsedAt - a.lastUsedAt)[0];
      if (warm?.env) {
        warm.state = 'busy';
        warm.lastUsedAt = now();
        changed();
        return { entry: warm, env: warm.env, cold: false };
      }
      if (fits(record.memoryMb)) return startNew(record);
      const victim = idleEntries().sort((a, b) => a.lastUsedAt - b.lastUsedAt)[0];
      if (victim) {
        retire(victim);
        continue;
      }
      await waitForChange(priority, signal);
    }
  };

  return {
    acquire,
    release(entry, reusable) {
      if (!entries.has(entry.id)) return;
      if (!reusable || entry.env === undefined || entry.env.dead) return retire(entry);
      entry.state = 'idle';
      entry.lastUsedAt = now();
      changed();
    },
    stats,
    async reapIdle() {
      const cutoff = now() - options.idleTimeoutMs;
      const expired = idleEntries().filter((e) => e.lastUsedAt <= cutoff);
      for (const e of expired) retire(e);
      await Promise.all([...retiring]);
      return expired.length;
    },
    get closing() {
      return closing;
    },
    async shutdown() {
      closing = true;
      changed();
      for (const e of [...entries.values()]) retire(e);
      await Promise.all([...retiring]);
    },
  };
}
