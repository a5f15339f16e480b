/**
 * @module
 * Async events whose job BullMQ failed end failed too, so none is left open. Two ways there:
 * - its worker died mid-run more than WORKER_MAX_STALLED_COUNT times: BullMQ fails the job
 *   without reaching the processor again (error type LDK_ERR_ASYNC_STALLED, the open attempt
 *   Interrupted);
 * - the worker's own handling of the event threw on every one of the job's attempts
 *   (ASYNC_JOB_OPTIONS): error type LDK_ERR_ASYNC_FAILED, the open attempt a PlatformError.
 * Either way the OnFailure and dead-letter deliveries are made, and an event whose record had
 * already ended gets only the deliveries it still owes: it reaches exactly one terminal status.
 * A job the processor failed on purpose (UnrecoverableError) had its event ended first, so it is
 * left alone. Ending the event is tried SETTLE_DELAYS_MS.length + 1 times (what failed the job
 * may be failing this too); the last try does without the function's settings and record if
 * they cannot be read (default event settings, no dead-letter target), so that the event ends.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Worker } from 'bullmq';
import {
  ERRORS,
  resolveEventInvokeConfig,
  type AttemptEnd,
  type EventInvokeConfigStore,
  type FunctionRecord,
  type InvokeJobData,
} from '@lambdock/core';
import { endingFor } from './endings.js';
import { endEvent, openRecord, type EventRecordDeps } from './event-records.js';

/** BullMQ's failure reason for a job over its stall limit. */
export const STALLED_REASON = 'job stalled more than allowable limit';

/** Waits between tries to end a failed event: about a minute in all. */
export const SETTLE_DELAYS_MS: readonly number[] = [1000, 2000, 4000, 8000, 16_000, 32_000];

export interface FailedEventDeps extends EventRecordDeps {
  configs: Pick<EventInvokeConfigStore, 'get'>;
  registry: { get(name: string): Promise<FunctionRecord | undefined> };
  /** Keeps the tries visible to shutdown. @defaultValue none */
  track?: (work: Promise<unknown>) => void;
  /** @defaultValue SETTLE_DELAYS_MS */
  settleDelaysMs?: readonly number[];
}

/** What the `failed` event says of a job. */
export interface FailedJob {
  data: InvokeJobData;
  /** Set by BullMQ only when the job has no attempt left. */
  finishedOn?: number;
}

interface Failure {
  errorType: string;
  errorMessage: string;
  attempt: AttemptEnd;
  reason: string;
}

function failureOf(job: FailedJob, failedReason: string): Failure | undefined {
  if (failedReason === STALLED_REASON) {
    return {
      errorType: ERRORS.ASYNC_STALLED.code,
      errorMessage: 'The worker running this event stopped too many times; it was not run again.',
      attempt: { outcome: 'Interrupted' },
      reason: 'Stalled',
    };
  }
  if (job.finishedOn === undefined) return undefined; // BullMQ tries it again
  return {
    errorType: ERRORS.ASYNC_FAILED.code,
    errorMessage: 'The platform failed while handling this event; it was not tried again.',
    attempt: { outcome: 'PlatformError', errorType: ERRORS.ASYNC_FAILED.code },
    reason: 'PlatformError',
  };
}

/**
 * Handles BullMQ's `failed` event of the async queue: true when it ended the event (or found
 * it ended), false for a failure BullMQ will try again.
 */
export async function settleFailedEvent(
  deps: FailedEventDeps,
  job: FailedJob,
  failedReason: string,
  /** Do without the function's settings and record when they cannot be read. */
  lenient = false,
): Promise<boolean> {
  const failure = failureOf(job, failedReason);
  if (failure === undefined) return false;
  const { data } = job;
  // The failure may have come before any worker opened the record.
  await openRecord(deps, data);
  const unread = <T>(read: Promise<T>): Promise<T | undefined> =>
    lenient ? read.catch(() => undefined) : read;
  const [stored, fn] = await Promise.all([
    unread(deps.configs.get(data.functionName, data.qualifier)),
    unread(deps.registry.get(data.functionName)),
  ]);
  const ending = endingFor({
    requestId: data.requestId,
    condition: 'RetriesExhausted',
    config: resolveEventInvokeConfig(stored),
    deadLetterTarget: fn?.deadLetterTargetArn,
    answer: { error: { errorType: failure.errorType, errorMessage: failure.errorMessage } },
  });
  await endEvent(deps, data, ending, failure.attempt, failure.reason);
  return true;
}

/** End the event, trying again after each of the delays; false when every try failed. */
export async function settleWithRetries(
  deps: FailedEventDeps,
  job: FailedJob,
  failedReason: string,
): Promise<boolean> {
  const delays = deps.settleDelaysMs ?? SETTLE_DELAYS_MS;
  for (let i = 0; ; i++) {
    try {
      await settleFailedEvent(deps, job, failedReason, i === delays.length);
      return true;
    } catch (err) {
      const delay = delays[i];
      const fields = { err, requestId: job.data.requestId, try: i + 1 };
      if (delay === undefined) {
        deps.logger.error(fields, 'could not end a failed event; its record stays open');
        return false;
      }
      deps.logger.warn(fields, 'could not end a failed event yet');
      await sleep(delay);
    }
  }
}

/** Listen for the async queue's failed jobs on `worker` (BullMQ emits them where they fail). */
export function watchFailedEvents(worker: Pick<Worker, 'on'>, deps: FailedEventDeps): void {
  worker.on('failed', (job, err) => {
    if (job === undefined) return;
    // The processor ended the event before failing the job for good.
    if (err.name === 'UnrecoverableError' && err.message !== STALLED_REASON) return;
    const failed: FailedJob = {
      data: job.data as InvokeJobData,
      ...(job.finishedOn === undefined ? {} : { finishedOn: job.finishedOn }),
    };
    if (failed.finishedOn !== undefined && err.message !== STALLED_REASON) {
      deps.logger.warn({ err, jobId: job.id }, 'async event failed on its last attempt');
    }
    const settled = settleWithRetries(deps, failed, err.message);
    deps.track?.(settled);
  });
}
