/**
 * @module
 * Async (`Event`) invoke jobs: 202 was already answered, so the job must end in a result.
 * The worker takes the concurrency lease itself; without one the job goes back to delayed
 * without spending an attempt (Lambda keeps throttled events and retries them). A worker
 * killed mid-run loses nothing: the job's BullMQ lock expires and another worker re-runs it.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import type { InvokeJobData, InvokeJobResult, Logger } from '@lambdock/core';
import type { WorkerMetrics } from '../metrics.js';
import { decideAfterRun, throttleDelayMs } from './async-policy.js';
import { EXECUTED_VERSION, execute, type ExecuteDeps } from './execute.js';
import { holdLease, type LeaseStore } from './lease-keeper.js';
import { replyFor, toJobResult } from './reply.js';

export interface AsyncLeaseStore extends LeaseStore {
  acquire(functionName: string, leaseId: string): Promise<{ ok: boolean }>;
}

export interface AsyncProcessorDeps extends ExecuteDeps {
  leases: AsyncLeaseStore;
  leaseTtlMs: number;
  renewalsPerTtl: number;
  metrics: WorkerMetrics;
  logger: Logger;
  now?: () => number;
}

export type AsyncProcessor = (job: Job<InvokeJobData>, token?: string) => Promise<InvokeJobResult>;

/** One lease per attempt; a re-run after a crash reuses (and so reclaims) its own lease. */
export const asyncLeaseId = (job: Job): string => `${job.id ?? 'job'}:${job.attemptsMade}`;

async function putBack(job: Job, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}

export function createAsyncProcessor(deps: AsyncProcessorDeps): AsyncProcessor {
  const now = deps.now ?? Date.now;
  return async (job, token) => {
    const data = job.data;
    const age = Math.max(0, now() - data.acceptedAt);
    deps.metrics.queueWait.observe({ queue: 'async' }, age / 1000);
    const leaseId = asyncLeaseId(job);
    const acquired = await deps.leases.acquire(data.functionName, leaseId);
    if (!acquired.ok) {
      deps.metrics.throttles.inc();
      return putBack(job, token, throttleDelayMs(age));
    }
    const lease = holdLease(
      deps.leases,
      data.functionName,
      leaseId,
      deps.leaseTtlMs / deps.renewalsPerTtl,
      deps.logger,
    );
    let execution;
    try {
      execution = await execute(deps, data, 'async');
    } finally {
      await lease.release();
    }
    if (execution.kind === 'rejected') {
      const { rejection } = execution;
      if (rejection.retryable) return putBack(job, token, throttleDelayMs(age));
      throw new UnrecoverableError(`${rejection.code}: ${rejection.message}`);
    }
    const decision = decideAfterRun(execution.result, job.attemptsMade);
    if (decision.kind === 'retry') throw new Error(decision.reason);
    return toJobResult(await replyFor(data.requestId, EXECUTED_VERSION, execution, false));
  };
}
