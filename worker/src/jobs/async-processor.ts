/**
 * @module
 * Async (`Event`) invoke jobs: 202 was already answered, so the job must end in a record.
 * Before every attempt the event's age is checked (too old: dropped, never run) and a
 * concurrency lease is taken (none free: back to delayed, nothing spent). A function error
 * spends a retry and waits Lambda's spacing (async-policy.ts); a platform error goes back to
 * the queue without spending one. The end is written once to the invocation record, then the
 * OnSuccess / OnFailure / dead-letter deliveries are made. A worker killed mid-run loses
 * nothing: the job's BullMQ lock expires, another worker re-runs it under the same request id
 * (the open attempt is marked Interrupted) or, if the event had ended, finishes its deliveries.
 * An attempt of a version with provisioned concurrency runs on an idle provisioned environment,
 * here or on another worker (execute's AsyncPlacement); the lease taken here covers it either
 * way, and a remote run that never answered is a platform error like any other.
 */
import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import {
  THROTTLE_REASONS,
  functionErrorCount,
  isTerminal,
  resolveEventInvokeConfig,
  type DestinationCondition,
  type EventInvokeConfigStore,
  type InvocationRecord,
  type InvokeJobData,
  type InvokeJobResult,
  type Logger,
  type ResolvedEventInvokeConfig,
} from '@lambdock/core';
import { endingFor } from '../async/endings.js';
import {
  beginAttempt,
  closeAttempt,
  endEvent,
  openRecord,
  type EventRecordDeps,
} from '../async/event-records.js';
import { deliverPending } from '../async/deliveries.js';
import { keptAnswer, type KeptAnswer } from '../async/run-payload.js';
import { WORKER_DEFAULTS } from '../defaults.js';
import type { WorkerMetrics } from '../metrics.js';
import { decideAfterRun, isExpired, throttleDelayMs } from './async-policy.js';
import { execute, type ExecuteDeps, type Execution } from './execute.js';
import { holdLease, type LeaseStore } from './lease-keeper.js';
import { replyFor, toJobResult } from './reply.js';

export interface AsyncLeaseStore extends LeaseStore {
  acquire(functionName: string, leaseId: string): Promise<{ ok: boolean; reason?: string }>;
}

/** Where async events keep their settings and records, and how they are delivered on. */
export interface AsyncEventDeps extends Omit<EventRecordDeps, 'metrics' | 'logger' | 'now'> {
  configs: Pick<EventInvokeConfigStore, 'get'>;
  reservedConcurrency(functionName: string): Promise<number | undefined>;
  retryBaseDelayMs: number;
  resultLimitBytes: number;
}

export interface AsyncProcessorDeps extends ExecuteDeps {
  leases: AsyncLeaseStore;
  leaseTtlMs: number;
  renewalsPerTtl: number;
  metrics: WorkerMetrics;
  logger: Logger;
  events: AsyncEventDeps;
  now?: () => number;
}

export type AsyncProcessor = (
  job: Job<InvokeJobData>,
  token?: string,
) => Promise<InvokeJobResult | null>;

/** One lease per attempt; a re-run after a crash reuses (and so reclaims) its own lease. */
export const asyncLeaseId = (job: Job): string => `${job.id ?? 'job'}:${job.attemptsMade}`;

async function putBack(job: Job, token: string | undefined, delayMs: number): Promise<never> {
  await job.moveToDelayed(Date.now() + delayMs, token);
  throw new DelayedError();
}

interface EventContext {
  deps: AsyncProcessorDeps;
  records: EventRecordDeps;
  job: Job<InvokeJobData>;
  token: string | undefined;
  config: ResolvedEventInvokeConfig;
  now: () => number;
}

/** End the event with `condition` and make its deliveries; the job then completes. */
async function finish(
  c: EventContext,
  condition: DestinationCondition,
  answer?: KeptAnswer,
  end?: Parameters<typeof endEvent>[3],
  executedVersion?: string,
): Promise<null> {
  const { data } = c.job;
  const record = condition === 'Success' ? undefined : await c.deps.registry.get(data.functionName);
  const ending = endingFor({
    requestId: data.requestId,
    condition,
    config: c.config,
    deadLetterTarget: record?.deadLetterTargetArn,
    ...(answer === undefined ? {} : { answer }),
    ...(executedVersion === undefined ? {} : { executedVersion }),
  });
  await endEvent(c.records, data, ending, end);
  return null;
}

/** After a run: complete, retry later, or end as exhausted / too old. */
async function afterRun(
  c: EventContext,
  started: InvocationRecord,
  execution: Extract<Execution, { kind: 'ran' }>,
): Promise<InvokeJobResult | null> {
  const { result } = execution;
  const { data } = c.job;
  const failed = result.outcome === 'function-error';
  const decision = decideAfterRun({
    outcome: result.outcome,
    functionErrors: functionErrorCount(started) + (failed ? 1 : 0),
    maximumRetryAttempts: c.config.maximumRetryAttempts,
    retryBaseDelayMs: c.deps.events.retryBaseDelayMs,
    ageMs: c.now() - data.acceptedAt,
    maximumEventAgeMs: c.config.maximumEventAgeMs,
  });
  const end = {
    outcome: failed ? ('FunctionError' as const) : ('Success' as const),
    ...(result.errorType === undefined ? {} : { errorType: result.errorType }),
  };
  if (decision.kind === 'retry') {
    await closeAttempt(c.records, data.requestId, {
      ...end,
      nextAttemptAtMs: c.now() + decision.delayMs,
    });
    return putBack(c.job, c.token, decision.delayMs);
  }
  const answer = keptAnswer(result, c.deps.events.resultLimitBytes);
  const condition =
    decision.kind === 'complete'
      ? 'Success'
      : decision.kind === 'expired'
        ? 'EventAgeExceeded'
        : 'RetriesExhausted';
  await finish(c, condition, answer, end, execution.executedVersion);
  return toJobResult(await replyFor(data.requestId, execution.executedVersion, execution, false));
}

/** The platform could not run it: try later without spending a retry, or end it. */
async function afterRejection(
  c: EventContext,
  execution: Extract<Execution, { kind: 'rejected' }>,
  ageMs: number,
): Promise<never> {
  const { rejection } = execution;
  const end = { outcome: 'PlatformError' as const, errorType: rejection.code };
  if (rejection.retryable) {
    await closeAttempt(c.records, c.job.data.requestId, end);
    return putBack(c.job, c.token, throttleDelayMs(ageMs));
  }
  const error = { errorType: rejection.code, errorMessage: rejection.message };
  await finish(c, 'RetriesExhausted', { error }, end);
  throw new UnrecoverableError(`${rejection.code}: ${rejection.message}`);
}

/** Take a concurrency slot, run one attempt, release the slot, decide. */
async function attempt(c: EventContext, ageMs: number): Promise<InvokeJobResult | null> {
  const { deps, job } = c;
  const { data } = job;
  const leaseId = asyncLeaseId(job);
  const acquired = await deps.leases.acquire(data.functionName, leaseId);
  if (!acquired.ok) {
    const zero =
      acquired.reason === THROTTLE_REASONS.RESERVED &&
      (await deps.events.reservedConcurrency(data.functionName)) === 0;
    if (zero) return finish(c, 'ZeroReservedConcurrency');
    deps.metrics.throttles.inc();
    return putBack(job, c.token, throttleDelayMs(ageMs));
  }
  const renewMs = deps.leaseTtlMs / deps.renewalsPerTtl;
  const lease = holdLease(deps.leases, data.functionName, leaseId, renewMs, deps.logger);
  let execution: Execution;
  let started: InvocationRecord | undefined;
  try {
    started = await beginAttempt(c.records, data.requestId);
    if (started === undefined) return null;
    deps.metrics.asyncEventAge.observe(ageMs / 1000);
    execution = await execute(deps, data, 'async');
  } finally {
    await lease.release();
  }
  if (execution.kind === 'rejected') return afterRejection(c, execution, ageMs);
  return afterRun(c, started, execution);
}

export function createAsyncProcessor(deps: AsyncProcessorDeps): AsyncProcessor {
  const now = deps.now ?? Date.now;
  const records: EventRecordDeps = {
    ...deps.events,
    metrics: deps.metrics,
    logger: deps.logger,
    now,
  };
  return async (job, token) => {
    const { data } = job;
    const ageMs = Math.max(0, now() - data.acceptedAt);
    deps.metrics.queueWait.observe({ queue: 'async' }, ageMs / 1000);
    const record = await openRecord(records, data);
    if (isTerminal(record)) {
      // A redelivery of an event that has ended: only its owed deliveries may be left.
      await deliverPending(records, record, data);
      return null;
    }
    const waitMs =
      record.NextAttemptAt === undefined ? 0 : Date.parse(record.NextAttemptAt) - now();
    if (waitMs > WORKER_DEFAULTS.ASYNC_RETRY_EARLY_SLACK_MS) return putBack(job, token, waitMs);
    const stored = await deps.events.configs.get(data.functionName, data.qualifier);
    const config = resolveEventInvokeConfig(stored);
    const c: EventContext = { deps, records, job, token, config, now };
    if (isExpired(ageMs, config.maximumEventAgeMs)) return finish(c, 'EventAgeExceeded');
    return attempt(c, ageMs);
  };
}
