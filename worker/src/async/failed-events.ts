/**
 * @module
 * Async events whose job BullMQ failed end failed too, so none is left open. Two ways there:
 * - its worker died mid-run more than WORKER_MAX_STALLED_COUNT times: BullMQ fails the job
 *   without reaching the processor again (error type LDK_ERR_ASYNC_STALLED, the open attempt
 *   Interrupted);
 * - the worker's own handling of the event threw on every one of the job's attempts
 *   (ASYNC_JOB_OPTIONS): error type LDK_ERR_ASYNC_FAILED, the open attempt a PlatformError.
 * Either way the OnFailure and dead-letter deliveries are made, and an event whose record had
 * already ended (the processor ended it, then failed the job on purpose) gets only the
 * deliveries it still owes: it reaches exactly one terminal status.
 */
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

export interface FailedEventDeps extends EventRecordDeps {
  configs: Pick<EventInvokeConfigStore, 'get'>;
  registry: { get(name: string): Promise<FunctionRecord | undefined> };
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
): Promise<boolean> {
  const failure = failureOf(job, failedReason);
  if (failure === undefined) return false;
  const { data } = job;
  // The failure may have come before any worker opened the record.
  await openRecord(deps, data);
  const [stored, fn] = await Promise.all([
    deps.configs.get(data.functionName, data.qualifier),
    deps.registry.get(data.functionName),
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

/** Listen for the async queue's failed jobs on `worker` (BullMQ emits them where they fail). */
export function watchFailedEvents(worker: Pick<Worker, 'on'>, deps: FailedEventDeps): void {
  worker.on('failed', (job, err) => {
    if (job === undefined) return;
    const failed: FailedJob = {
      data: job.data as InvokeJobData,
      ...(job.finishedOn === undefined ? {} : { finishedOn: job.finishedOn }),
    };
    if (failed.finishedOn !== undefined && err.message !== STALLED_REASON) {
      deps.logger.warn({ err, jobId: job.id }, 'async event failed on its last attempt');
    }
    settleFailedEvent(deps, failed, err.message).catch((error: unknown) =>
      deps.logger.warn({ err: error, jobId: job.id }, 'could not end a failed event'),
    );
  });
}
