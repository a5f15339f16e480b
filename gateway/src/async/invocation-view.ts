/**
 * @module
 * What `GET /lambdock/v1/invocations/{requestId}` answers: the worker's record when there is
 * one; before a worker first took the event, a `queued` view built from the job BullMQ holds.
 */
import { newInvocationRecord, type InvocationRecord } from '@lambdock/core';
import type { AsyncJobView } from '../deps.js';

export function queuedView(view: AsyncJobView): InvocationRecord {
  const { job } = view;
  return newInvocationRecord({
    requestId: job.requestId,
    functionName: job.functionName,
    qualifier: job.qualifier,
    acceptedAtMs: job.acceptedAt,
  });
}
