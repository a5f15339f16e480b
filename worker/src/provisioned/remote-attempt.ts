/**
 * @module
 * An async attempt run on another worker's idle provisioned environment, the way Lambda's poller
 * invokes synchronously: that worker gets a sync job on its own direct queue naming the claimed
 * environment, with this worker's own reply channel as `replyTo`, and this worker waits for the
 * reply (function timeout plus grace). The event itself never leaves the shared async queue, so
 * its durability, stalled-job recovery and single terminal record stay as they are: a remote
 * worker that dies or never answers only ends this attempt as a platform error, retried later
 * without spending a function retry.
 *
 * Concurrency is accounted once: the job carries no lease id, so the remote worker takes none;
 * the attempt's own lease, held and renewed here for the whole wait, is the one slot it uses.
 * A reply that did not arrive is read from the copy the other worker kept (reply-copies.ts).
 * Nothing is left behind when no reply comes: a job still waiting after the pick-up window (or
 * at the end) is withdrawn from the queue, and its claim is re-offered by its worker after the
 * claim TTL (or dropped with the worker's other state when that worker is dead).
 */
import { randomBytes } from 'node:crypto';
import {
  SYNC_JOB_OPTIONS,
  UNTAKEN_JOB_STATES,
  JOB_NAMES,
  type FunctionRecord,
  type InvokeJobData,
  type Logger,
  type ProvisionedClaim,
  type Reply,
  type ReplyCopies,
  type ReplyWaiter,
} from '@lambdock/core';
import type { Execution } from '../jobs/execute.js';
import type { WorkerMetrics } from '../metrics.js';
import { executionFromReply, noReply } from './remote-outcome.js';

/** The part of a BullMQ job the sender reads. */
export interface DirectJob {
  getState(): Promise<string>;
  remove(): Promise<void>;
}

/** The part of a worker's direct queue (BullMQ producer) the sender uses. */
export interface DirectQueue {
  add(name: string, data: InvokeJobData, opts: Record<string, unknown>): Promise<unknown>;
  getJob(jobId: string): Promise<DirectJob | undefined>;
}

export interface RemoteAttemptDeps {
  /** The direct queue of `workerId` (direct-producers.ts). */
  queue(workerId: string): DirectQueue;
  /** Waits on this worker's own reply channel. */
  replies: ReplyWaiter;
  replyChannel: string;
  /** Where the other worker keeps the replies it published. */
  copies: ReplyCopies;
  pickupMs: number;
  graceMs: number;
  metrics: Pick<WorkerMetrics, 'remoteProvisionedRuns'>;
  logger: Logger;
  now?: () => number;
}

export type RemoteAttempt = (
  claim: ProvisionedClaim,
  data: InvokeJobData,
  record: FunctionRecord,
  version: string,
) => Promise<Execution>;

/**
 * The sync job for the remote worker: the version the attempt resolved (so an alias is picked
 * once, here), its generation, the claimed environment, this worker's channel, no lease.
 */
export function directJobFor(
  data: InvokeJobData,
  record: FunctionRecord,
  version: string,
  target: { environmentId: string; replyTo: string; now: number; waitMs: number },
): InvokeJobData {
  return {
    requestId: data.requestId,
    functionName: record.name,
    qualifier: version,
    invokedArn: data.invokedArn,
    payload: data.payload,
    ...(data.clientContext === undefined ? {} : { clientContext: data.clientContext }),
    ...(data.cognitoIdentity === undefined ? {} : { cognitoIdentity: data.cognitoIdentity }),
    ...(data.traceId === undefined ? {} : { traceId: data.traceId }),
    logTail: false,
    replyTo: target.replyTo,
    generation: record.generation,
    // When it was sent: the remote worker's queue-wait metric measures the hop, not the event.
    acceptedAt: target.now,
    replyDeadline: target.now + target.waitMs,
    provisionedEnvId: target.environmentId,
  };
}

/** Withdraw the job if nobody took it; true when it is gone for good (it will never run). */
async function withdrawIfWaiting(queue: DirectQueue, jobId: string): Promise<boolean> {
  const job = await queue.getJob(jobId);
  if (job === undefined || !UNTAKEN_JOB_STATES.has(await job.getState())) return false;
  // Fails when the worker took it meanwhile (locked): then it runs and answers.
  return job.remove().then(
    () => true,
    () => false,
  );
}

/**
 * No reply in time: the reply's copy if the job finished (BullMQ removed it; the copy was
 * written before that), else why not.
 */
async function settle(
  queue: DirectQueue,
  copies: ReplyCopies,
  jobId: string,
): Promise<Reply | string> {
  const job = await queue.getJob(jobId);
  const state = job === undefined ? 'gone' : await job.getState();
  if (state === 'gone' || state === 'completed' || state === 'unknown')
    return (await copies.read(jobId)) ?? 'its job is gone without a reply';
  if (state === 'active') return 'still running';
  if (state === 'failed') return 'its job failed';
  return (await withdrawIfWaiting(queue, jobId)) ? 'never took the job' : 'still running';
}

export function createRemoteAttempt(deps: RemoteAttemptDeps): RemoteAttempt {
  const now = deps.now ?? Date.now;
  const count = (record: FunctionRecord, outcome: string): void =>
    deps.metrics.remoteProvisionedRuns.inc({ function: record.name, outcome });
  return async (claim, data, record, version) => {
    const started = now();
    const waitMs = deps.pickupMs + record.timeoutS * 1000 + deps.graceMs;
    const queue = deps.queue(claim.workerId);
    // Unique per send: a retry of the same event may go to the same worker within the
    // result's retention, and BullMQ ignores an add under an id it still holds.
    const jobId = `${data.requestId}.${randomBytes(4).toString('hex')}`;
    const log = deps.logger.child({ requestId: data.requestId, remoteWorker: claim.workerId });
    const failed = (why: string): Execution => {
      count(record, 'no-reply');
      log.warn({ why }, 'async attempt on a remote provisioned environment got no reply');
      return noReply(claim.workerId, why, version);
    };
    const pending = deps.replies.wait(data.requestId, waitMs);
    const job = directJobFor(data, record, version, {
      environmentId: claim.environmentId,
      replyTo: deps.replyChannel,
      now: started,
      waitMs,
    });
    try {
      await queue.add(JOB_NAMES.INVOKE, job, { ...SYNC_JOB_OPTIONS, jobId });
    } catch (err) {
      pending.cancel();
      return failed(
        `could not queue the job (${err instanceof Error ? err.message : String(err)})`,
      );
    }
    let withdrawn = false;
    const probe = setTimeout(() => {
      withdrawIfWaiting(queue, jobId).then(
        (gone) => {
          withdrawn = gone;
          if (gone) pending.cancel();
        },
        (err: unknown) => log.debug({ err }, 'pick-up check failed; waiting on'),
      );
    }, deps.pickupMs);
    const reply = await pending.reply;
    clearTimeout(probe);
    if (withdrawn) return failed(`did not take the job within ${deps.pickupMs} ms`);
    const answer =
      reply ?? (await settle(queue, deps.copies, jobId).catch(() => 'its job could not be read'));
    if (typeof answer === 'string') return failed(answer);
    count(record, answer.header.outcome);
    return executionFromReply(answer, version, now() - started);
  };
}
