/**
 * @module
 * InvocationQueue on BullMQ. Job ids are the request ids (the worker publishes replies, and keeps
 * their copies, under them). Every add is bounded by failFast: 202 only after Redis took
 * the job, 503 otherwise. A sync job of a version with provisioned concurrency goes to the
 * worker holding an idle provisioned environment it claimed (that worker's own queue), and to
 * the shared queue when none is idle (spillover).
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  QUEUES,
  ASYNC_JOB_OPTIONS,
  SYNC_JOB_OPTIONS,
  UNTAKEN_JOB_STATES,
  JOB_NAMES,
  type InvokeJobData,
  type InvokeJobResult,
  type PrepareJobData,
  type ReplyCopies,
} from '@lambdock/core';
import type { AsyncJobView, InvocationQueue, SyncJobFallback, SyncRoute } from '../deps.js';
import type { DirectQueue } from './direct-queues.js';
import { failFast } from './fail-fast.js';
import type { ProvisionedPlacement } from './provisioned-placement.js';

export interface InvocationQueues {
  sync: Queue<InvokeJobData, InvokeJobResult>;
  async: Queue<InvokeJobData, InvokeJobResult>;
  lifecycle: Queue<PrepareJobData>;
}

/** The three queues on one connection; `onError` hears their errors (the connection reconnects). */
export function createInvocationQueues(
  connection: Redis,
  prefix: string,
  onError: (err: Error, queue: string) => void,
): InvocationQueues {
  const options = { connection, prefix };
  const queues: InvocationQueues = {
    sync: new Queue<InvokeJobData, InvokeJobResult>(QUEUES.INVOKE_SYNC, options),
    async: new Queue<InvokeJobData, InvokeJobResult>(QUEUES.INVOKE_ASYNC, options),
    lifecycle: new Queue<PrepareJobData>(QUEUES.LIFECYCLE, options),
  };
  for (const q of Object.values(queues) as Queue[])
    q.on('error', (err: Error) => onError(err, q.name));
  return queues;
}

/** Placing sync jobs on idle provisioned environments; without it all go to the shared queue. */
export interface DirectPlacement {
  placement: Pick<ProvisionedPlacement, 'covers' | 'claim'>;
  /** The queue only that worker consumes. */
  queue(workerId: string): DirectQueue;
  /** The live workers, whose queues the queue-depth gauge sums as `invoke-direct`. */
  readonly workers?: () => Promise<string[]>;
}

const SHARED: SyncRoute = Object.freeze({});

/** Jobs a queue holds that no worker has taken yet. */
async function waitingJobs(queue: Queue): Promise<number> {
  const counts = await queue.getJobCounts('waiting', 'prioritized', 'delayed');
  return Object.values(counts).reduce((a, b) => a + b, 0);
}

/**
 * A host fault (Docker or Redis not answering) is retried 1, 2, 4, 8 and 16 s apart; the worker
 * fails the function on the last attempt rather than leave it Pending.
 */
const PREPARE_JOB_OPTIONS = {
  attempts: 6,
  backoff: { type: 'exponential', delay: 1000 },
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 86_400 },
};

/**
 * A finished job is gone (removed as it completed) or, from older workers, completed: either way
 * its reply's copy, written before the completion, is the answer if there is one.
 */
async function settle(
  queue: DirectQueue,
  copies: ReplyCopies,
  requestId: string,
): Promise<SyncJobFallback> {
  const finished = async (): Promise<SyncJobFallback> => {
    const reply = await copies.read(requestId);
    return reply === undefined ? { state: 'missing' } : { state: 'completed', reply };
  };
  const job = await queue.getJob(requestId);
  if (job === undefined || job === null) return finished();
  switch (await job.getState()) {
    case 'completed':
    case 'unknown':
      return finished();
    case 'failed':
      return { state: 'failed', reason: job.failedReason };
    case 'active':
      return { state: 'running' };
    default:
      try {
        // Still waiting: nobody will answer this caller any more, so nobody should run it.
        await job.remove();
        return { state: 'withdrawn' };
      } catch {
        return { state: 'running' };
      }
  }
}

async function asyncJob(
  queue: InvocationQueues['async'],
  requestId: string,
): Promise<AsyncJobView | undefined> {
  const job = await queue.getJob(requestId);
  if (job === undefined || job === null) return undefined;
  const state = await job.getState();
  if (state === 'active' || state === 'delayed') return { state, job: job.data };
  if (state === 'waiting' || state === 'prioritized' || state === 'waiting-children')
    return { state: 'waiting', job: job.data };
  return undefined;
}

export function createBullmqInvocationQueue(
  queues: InvocationQueues,
  copies: ReplyCopies,
  timeoutMs: number,
  direct?: DirectPlacement,
): InvocationQueue {
  const bounded = <T>(work: Promise<T>): Promise<T> => failFast(work, timeoutMs);
  const syncQueue = (route: SyncRoute | undefined): DirectQueue =>
    route?.workerId === undefined || direct === undefined
      ? queues.sync
      : direct.queue(route.workerId);
  return {
    async enqueueSync(job) {
      const options = { ...SYNC_JOB_OPTIONS, jobId: job.requestId };
      // A claim whose add fails is not handed back: its worker offers it again after the claim
      // TTL (an unreachable Redis has usually lost the add's reply, not the add).
      // Checked first from the cache, so everything else pays no extra Redis call (nor timer).
      const claim =
        direct?.placement.covers(job.functionName, job.qualifier) === true
          ? await bounded(direct.placement.claim(job.functionName, job.qualifier))
          : undefined;
      if (claim === undefined || direct === undefined) {
        await bounded(queues.sync.add(JOB_NAMES.INVOKE, job, options));
        return SHARED;
      }
      const placed = { ...job, provisionedEnvId: claim.environmentId };
      await bounded(direct.queue(claim.workerId).add(JOB_NAMES.INVOKE, placed, options));
      return { workerId: claim.workerId };
    },
    async enqueueAsync(job) {
      await bounded(
        queues.async.add(JOB_NAMES.INVOKE, job, { ...ASYNC_JOB_OPTIONS, jobId: job.requestId }),
      );
    },
    async enqueuePrepare(job) {
      await bounded(queues.lifecycle.add(JOB_NAMES.PREPARE, job, PREPARE_JOB_OPTIONS));
    },
    settleSync: (requestId, route) => bounded(settle(syncQueue(route), copies, requestId)),
    async redirectUntaken(requestId, route) {
      if (route.workerId === undefined || direct === undefined) return route;
      const job = await bounded(direct.queue(route.workerId).getJob(requestId));
      if (job === undefined || job === null) return route;
      if (!UNTAKEN_JOB_STATES.has(await bounded(job.getState()))) return route;
      const data = { ...job.data };
      delete data.provisionedEnvId;
      // Removing fails once the worker holds the job's lock: then it runs there after all.
      const removed = await bounded(job.remove()).then(
        () => true,
        () => false,
      );
      if (!removed) return route;
      await bounded(
        queues.sync.add(JOB_NAMES.INVOKE, data, { ...SYNC_JOB_OPTIONS, jobId: requestId }),
      );
      return SHARED;
    },
    asyncJob: (requestId) => bounded(asyncJob(queues.async, requestId)),
    async depths() {
      const pending: Array<Promise<readonly [string, number]>> = Object.values(queues).map(
        async (q: Queue) => [q.name, await waitingJobs(q)] as const,
      );
      const workers = direct?.workers;
      if (direct !== undefined && workers !== undefined) {
        pending.push(
          workers().then(async (ids) => {
            const counts = await Promise.all(ids.map((id) => waitingJobs(direct.queue(id))));
            return [QUEUES.INVOKE_DIRECT, counts.reduce((a, b) => a + b, 0)] as const;
          }),
        );
      }
      return Object.fromEntries(await bounded(Promise.all(pending)));
    },
  };
}
