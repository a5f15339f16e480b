/**
 * @module
 * The worker's writes to an async event's record: open it when the event is first taken
 * (counted once as received), start and close attempts, and the one terminal transition,
 * after which the deliveries it owes are made. Every write is a compare-and-set that refuses
 * to touch a terminal record, so only one writer ever ends an event.
 */
import {
  endAttempt,
  finishRecord,
  isTerminal,
  newInvocationRecord,
  startAttempt,
  type AttemptEnd,
  type Ending,
  type InvocationRecord,
  type InvocationRecordStore,
  type InvokeJobData,
} from '@lambdock/core';
import type { WorkerMetrics } from '../metrics.js';
import { deliverPending, type DeliveryDeps } from './deliveries.js';

export interface EventRecordDeps extends DeliveryDeps {
  records: Pick<InvocationRecordStore, 'get' | 'update'>;
  metrics: DeliveryDeps['metrics'] &
    Pick<WorkerMetrics, 'asyncEventsReceived' | 'asyncEventsDropped'>;
}

/** The event's record, created (status queued) the first time any worker takes the event. */
export async function openRecord(
  deps: EventRecordDeps,
  data: InvokeJobData,
): Promise<InvocationRecord> {
  const { record, written } = await deps.records.update(data.requestId, (current) =>
    current === undefined
      ? newInvocationRecord({
          requestId: data.requestId,
          functionName: data.functionName,
          qualifier: data.qualifier,
          acceptedAtMs: data.acceptedAt,
        })
      : undefined,
  );
  if (written) deps.metrics.asyncEventsReceived.inc({ function: data.functionName });
  if (record === undefined) throw new Error(`invocation record ${data.requestId} vanished`);
  return record;
}

/** Start an attempt; `undefined` when the event has ended meanwhile. */
export async function beginAttempt(
  deps: EventRecordDeps,
  requestId: string,
): Promise<InvocationRecord | undefined> {
  const { record, written } = await deps.records.update(requestId, (current) =>
    current === undefined ? undefined : startAttempt(current, deps.now()),
  );
  return written ? record : undefined;
}

export async function closeAttempt(
  deps: EventRecordDeps,
  requestId: string,
  end: AttemptEnd,
): Promise<void> {
  await deps.records.update(requestId, (current) =>
    current === undefined ? undefined : endAttempt(current, end, deps.now()),
  );
}

/**
 * End the event (closing the open attempt with `end` first, when given) and make its
 * deliveries. A writer that finds the record already ended makes that ending's remaining
 * deliveries instead: they are the same ones.
 */
export async function endEvent(
  deps: EventRecordDeps,
  data: InvokeJobData,
  ending: Ending,
  end?: AttemptEnd,
  /** The AsyncEventsDropped reason, when it is not the condition itself. */
  reason: string = ending.condition,
): Promise<InvocationRecord | undefined> {
  const now = deps.now();
  const { record, written } = await deps.records.update(data.requestId, (current) => {
    if (current === undefined || isTerminal(current)) return undefined;
    const closed = end === undefined ? current : endAttempt(current, end, now);
    return closed === undefined ? undefined : finishRecord(closed, ending, now);
  });
  if (record === undefined || !isTerminal(record)) return record;
  if (written && ending.status !== 'succeeded') {
    deps.metrics.asyncEventsDropped.inc({ function: data.functionName, reason });
  }
  return deliverPending(deps, record, data);
}
