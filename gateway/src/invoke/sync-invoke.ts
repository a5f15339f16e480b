/**
 * @module
 * A synchronous invocation under a concurrency lease (taken with the add, held-invoke.ts: 429 at
 * once when none is free, nothing queued): start listening for the reply, queue the job, wait
 * up to the function timeout plus the grace period (or the caller's own limit).
 * When no reply came, the job's fate is the fallback: the reply's copy the worker kept if it
 * finished, and a lease released here if no worker ever took it. Which queue the job
 * went to (shared, or a worker's own when an idle provisioned environment was claimed) is the
 * queue's business; the route it reports is only handed back for that look-up.
 */
import {
  AppError,
  ERRORS,
  type FunctionRecord,
  type InvokeJobData,
  type Logger,
  type Reply,
  type ReplyChunk,
  type ThrottleReason,
} from '@lambdock/core';
import type { ResolvedGatewayDeps, SyncRoute } from '../deps.js';
import type { WhenCallerGone } from './caller-gone.js';

export type SyncInvokeDeps = Pick<
  ResolvedGatewayDeps,
  'settings' | 'leases' | 'queue' | 'replies' | 'metrics' | 'newId' | 'coalesce'
>;

/** 429 for `name`, counted by reason. */
export function throttled(
  deps: Pick<SyncInvokeDeps, 'metrics'>,
  name: string,
  reason: ThrottleReason,
): AppError {
  deps.metrics.throttles.inc({ function: name, reason });
  return new AppError(ERRORS.THROTTLED, 'Rate Exceeded.', { fields: { Reason: reason } });
}

/** A concurrency lease this gateway holds until a worker takes over the job. */
export interface HeldLease {
  readonly id: string;
  release(): Promise<void>;
}

export interface SyncInvokeRequest {
  record: FunctionRecord;
  lease: HeldLease;
  job: InvokeJobData;
  /** Stops the wait for the reply when the caller goes away. */
  whenGone: WhenCallerGone;
  logger: Logger;
  /** Stop waiting earlier than the function's own timeout (an HTTP route's integration timeout). */
  maxWaitMs?: number;
  /** Take a streamed response chunk by chunk (asks the worker to relay it as it comes). */
  onChunk?: (chunk: ReplyChunk) => void;
  /**
   * Queues the job as sent to the worker. @defaultValue the queue's `enqueueSync`, `lease`
   * being held already
   */
  enqueue?: (job: InvokeJobData) => Promise<SyncRoute>;
}

function noReply(requestId: string, waitedMs: number): AppError {
  return new AppError(ERRORS.INVOKE_TIMEOUT, `no reply to ${requestId} within ${waitedMs} ms`);
}

async function fallback(
  deps: SyncInvokeDeps,
  request: SyncInvokeRequest,
  route: SyncRoute,
  waitedMs: number,
): Promise<Reply> {
  const { requestId } = request.job;
  const fate = await deps.queue.settleSync(requestId, route);
  if (fate.state === 'completed') return fate.reply;
  // A worker that holds the job also holds the lease and releases it; otherwise it is ours.
  if (fate.state !== 'running') await request.lease.release();
  if (fate.state === 'failed')
    request.logger.warn({ reason: fate.reason }, 'sync job failed without a reply');
  throw noReply(requestId, waitedMs);
}

interface PickupWatch {
  /** The job's route from now on (stops the watch if it has not fired). */
  settled(): Promise<SyncRoute>;
}

/**
 * A job placed on one worker's own queue must be taken at once (its environment is idle and
 * claimed for it). If it is not, that worker died after the claim or stalls: move the job to
 * the shared queue so another worker runs it on demand, instead of the caller waiting out the
 * function timeout.
 */
function watchPickup(
  deps: SyncInvokeDeps,
  request: SyncInvokeRequest,
  route: SyncRoute,
): PickupWatch {
  let moved: Promise<SyncRoute> | undefined;
  const timer = setTimeout(() => {
    moved = deps.queue.redirectUntaken(request.job.requestId, route).then(
      (now) => {
        if (now.workerId === undefined) {
          request.logger.warn(
            { worker: route.workerId },
            'placed job not taken in time; moved to the shared queue',
          );
        }
        return now;
      },
      (err: unknown) => {
        request.logger.warn({ err }, 'could not move an untaken placed job');
        return route;
      },
    );
  }, deps.settings.directPickupMs);
  return {
    settled: () => {
      clearTimeout(timer);
      return moved ?? Promise.resolve(route);
    },
  };
}

/** Queue the job under the held lease and wait for its reply. The lease is always accounted for. */
export async function invokeSync(deps: SyncInvokeDeps, request: SyncInvokeRequest): Promise<Reply> {
  const { record, job, lease } = request;
  const fullWaitMs = record.timeoutS * 1000 + deps.settings.syncReplyGraceMs;
  const waitMs = Math.min(fullWaitMs, request.maxWaitMs ?? fullWaitMs);
  const pending = deps.replies.wait(job.requestId, waitMs, request.onChunk);
  request.whenGone(pending.cancel);
  let route: SyncRoute;
  const enqueue = request.enqueue ?? ((sent) => deps.queue.enqueueSync(sent));
  try {
    route = await deps.coalesce(() =>
      enqueue({
        ...job,
        replyTo: deps.settings.replyChannel,
        leaseId: lease.id,
        generation: record.generation,
        replyDeadline: job.acceptedAt + waitMs,
        ...(request.onChunk === undefined ? {} : { stream: true }),
      }),
    );
  } catch (err) {
    pending.cancel();
    await lease.release();
    throw err;
  }
  const redirect = route.workerId === undefined ? undefined : watchPickup(deps, request, route);
  const reply = await pending.reply;
  if (redirect !== undefined) route = await redirect.settled();
  return reply ?? (await fallback(deps, request, route, waitMs));
}
