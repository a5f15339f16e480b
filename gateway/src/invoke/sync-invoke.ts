/**
 * @module
 * A synchronous invocation: take a concurrency lease (429 at once when none is free, nothing
 * queued), start listening for the reply, queue the job, wait up to the function timeout plus
 * the grace period. When no reply came, BullMQ's own record of the job is the fallback: its
 * return value if a worker finished, and a lease released here if no worker ever took it.
 */
import {
  AppError,
  ERRORS,
  type FunctionRecord,
  type InvokeJobData,
  type Logger,
  type Reply,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';

export type SyncInvokeDeps = Pick<
  ResolvedGatewayDeps,
  'settings' | 'leases' | 'queue' | 'replies' | 'metrics' | 'newId'
>;

export interface SyncInvokeRequest {
  record: FunctionRecord;
  job: InvokeJobData;
  /** Aborted when the caller goes away. */
  signal: AbortSignal;
  logger: Logger;
}

function noReply(requestId: string, waitedMs: number): AppError {
  return new AppError(ERRORS.INVOKE_TIMEOUT, `no reply to ${requestId} within ${waitedMs} ms`);
}

async function takeLease(deps: SyncInvokeDeps, name: string, leaseId: string): Promise<void> {
  const lease = await deps.leases.acquire(name, leaseId);
  if (lease.ok) return;
  deps.metrics.throttles.inc({ function: name, reason: lease.reason });
  throw new AppError(ERRORS.THROTTLED, 'Rate Exceeded.', { fields: { Reason: lease.reason } });
}

async function fallback(
  deps: SyncInvokeDeps,
  request: SyncInvokeRequest,
  release: () => Promise<void>,
  waitedMs: number,
): Promise<Reply> {
  const { requestId } = request.job;
  const fate = await deps.queue.settleSync(requestId);
  if (fate.state === 'completed') {
    const { payloadBase64, ...header } = fate.result;
    return { header, payload: Buffer.from(payloadBase64, 'base64') };
  }
  // A worker that holds the job also holds the lease and releases it; otherwise it is ours.
  if (fate.state !== 'running') await release();
  if (fate.state === 'failed')
    request.logger.warn({ reason: fate.reason }, 'sync job failed without a reply');
  throw noReply(requestId, waitedMs);
}

export async function invokeSync(deps: SyncInvokeDeps, request: SyncInvokeRequest): Promise<Reply> {
  const { record, job } = request;
  const leaseId = deps.newId();
  await takeLease(deps, record.name, leaseId);
  const release = (): Promise<void> =>
    deps.leases.release(record.name, leaseId).catch((err: unknown) => {
      request.logger.warn({ err }, 'could not release lease; it expires by itself');
    });
  const waitMs = record.timeoutS * 1000 + deps.settings.syncReplyGraceMs;
  const stop = new AbortController();
  const onCallerGone = (): void => stop.abort();
  request.signal.addEventListener('abort', onCallerGone, { once: true });
  try {
    const pending = deps.replies.wait(job.requestId, waitMs, stop.signal);
    try {
      await deps.queue.enqueueSync({
        ...job,
        replyTo: deps.settings.replyChannel,
        leaseId,
        generation: record.generation,
        replyDeadline: job.acceptedAt + waitMs,
      });
    } catch (err) {
      stop.abort();
      await pending;
      await release();
      throw err;
    }
    const reply = await pending;
    return reply ?? (await fallback(deps, request, release, waitMs));
  } finally {
    request.signal.removeEventListener('abort', onCallerGone);
  }
}
