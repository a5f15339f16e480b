/**
 * @module
 * An async event whose worker died mid-run more than WORKER_MAX_STALLED_COUNT times is failed
 * by BullMQ without reaching the processor again. This ends its record too (status failed,
 * error type LDK_ERR_ASYNC_STALLED, the open attempt Interrupted) and makes its OnFailure and
 * dead-letter deliveries, so such an event still reaches exactly one terminal status.
 */
import type { Worker } from 'bullmq';
import {
  ERRORS,
  resolveEventInvokeConfig,
  type EventInvokeConfigStore,
  type FunctionRecord,
  type InvokeJobData,
} from '@lambdock/core';
import { endingFor } from './endings.js';
import { endEvent, type EventRecordDeps } from './event-records.js';

/** BullMQ's failure reason for a job over its stall limit. */
export const STALLED_REASON = 'job stalled more than allowable limit';

export interface StalledDeps extends EventRecordDeps {
  configs: Pick<EventInvokeConfigStore, 'get'>;
  registry: { get(name: string): Promise<FunctionRecord | undefined> };
}

/** Handles BullMQ's `failed` event of the async queue; ignores other failures. */
export async function settleStalledEvent(
  deps: StalledDeps,
  data: InvokeJobData,
  failedReason: string,
): Promise<boolean> {
  if (failedReason !== STALLED_REASON) return false;
  const [stored, fn] = await Promise.all([
    deps.configs.get(data.functionName, data.qualifier),
    deps.registry.get(data.functionName),
  ]);
  const ending = endingFor({
    requestId: data.requestId,
    condition: 'RetriesExhausted',
    config: resolveEventInvokeConfig(stored),
    deadLetterTarget: fn?.deadLetterTargetArn,
    answer: {
      error: {
        errorType: ERRORS.ASYNC_STALLED.code,
        errorMessage: 'The worker running this event stopped too many times; it was not run again.',
      },
    },
  });
  await endEvent(deps, data, ending, { outcome: 'Interrupted' }, 'Stalled');
  return true;
}

/** Listen for the async queue's failed jobs on `worker` (BullMQ emits them where they fail). */
export function watchStalledEvents(worker: Pick<Worker, 'on'>, deps: StalledDeps): void {
  worker.on('failed', (job, err) => {
    if (job === undefined) return;
    settleStalledEvent(deps, job.data as InvokeJobData, err.message).catch((error: unknown) =>
      deps.logger.warn({ err: error, jobId: job.id }, 'could not end a stalled event'),
    );
  });
}
