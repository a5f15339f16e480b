/**
 * @module
 * Graceful stop on SIGTERM/SIGINT: stop taking jobs and let running invocations finish within
 * DRAIN_TIMEOUT_MS. Past it, the BullMQ workers are force-closed so the jobs they hold keep
 * their (expiring) locks and are re-run elsewhere, and only then every environment is killed.
 * Then the rest closes in reverse order of creation: heartbeat, HTTP, Redis.
 */
import type { Server } from 'node:http';
import type { Logger } from '@lambdock/core';
import type { Redis } from 'ioredis';
import type { Heartbeat } from './fleet/heartbeat.js';
import type { EnvironmentPool } from './invoke/environment-pool.js';
import type { QueueWorkers } from './jobs/queue-workers.js';

export interface ShutdownDeps {
  logger: Logger;
  drainTimeoutMs: number;
  /** Mark not ready, stop timers. */
  begin(): void;
  queues: QueueWorkers;
  pool: EnvironmentPool;
  background: ReadonlySet<Promise<unknown>>;
  heartbeat: Heartbeat;
  server: Server;
  redis: Redis;
  exit?: (code: number) => void;
}

function within<T>(work: Promise<T>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
  return Promise.race([work.then(() => true), timeout]).finally(() => clearTimeout(timer));
}

export function createShutdown(deps: ShutdownDeps): (signal: string) => Promise<void> {
  let started = false;
  return async (signal) => {
    if (started) return;
    started = true;
    const { logger } = deps;
    logger.info({ signal, drainTimeoutMs: deps.drainTimeoutMs }, 'draining');
    deps.begin();
    const drained = await within(deps.queues.drain(), deps.drainTimeoutMs);
    if (!drained) logger.warn('drain timeout: abandoning running jobs to stall recovery');
    await within(deps.queues.close(!drained), 5_000);
    await deps.pool.shutdown();
    await within(Promise.allSettled([...deps.background]), 5_000);
    await deps.heartbeat.leave().catch(() => undefined);
    const closed = new Promise<void>((resolve) => deps.server.close(() => resolve()));
    deps.server.closeAllConnections();
    await closed;
    await deps.redis.quit().catch(() => undefined);
    logger.info('worker stopped');
    (deps.exit ?? process.exit)(0);
  };
}
