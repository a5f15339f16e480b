/**
 * In-memory stand-ins for BullMQ and the reply channel. A test installs a `worker` function that
 * answers sync jobs (or not); the fake queue records every job, and can be switched to refuse
 * adds as an unreachable Redis would.
 */
import {
  AppError,
  ERRORS,
  type AcquireResult,
  type InvokeJobData,
  type PendingReply,
  type PrepareJobData,
  type Reply,
  type ReplyChunk,
} from '@lambdock/core';
import type {
  AsyncJobView,
  InvocationQueue,
  LeaseManager,
  ReplyWaiter,
  SyncJobFallback,
  SyncRoute,
} from '../../src/deps.js';

export class FakeReplies implements ReplyWaiter {
  private readonly waiters = new Map<string, (reply: Reply | undefined) => void>();
  private readonly chunkTakers = new Map<string, (chunk: ReplyChunk) => void>();
  readonly timeouts: number[] = [];

  wait(requestId: string, timeoutMs: number, onChunk?: (chunk: ReplyChunk) => void): PendingReply {
    this.timeouts.push(timeoutMs);
    if (onChunk !== undefined) this.chunkTakers.set(requestId, onChunk);
    let settle!: (reply: Reply | undefined) => void;
    const reply = new Promise<Reply | undefined>((resolve) => {
      settle = (answer) => {
        if (this.waiters.get(requestId) === settle) this.waiters.delete(requestId);
        resolve(answer);
      };
    });
    this.waiters.set(requestId, settle);
    return { reply, cancel: () => settle(undefined) };
  }

  /** Deliver a reply, as a worker publishing on the channel would. */
  deliver(requestId: string, reply: Reply | undefined): void {
    this.waiters.get(requestId)?.(reply);
  }

  /** Deliver a chunk of a streamed response, to a waiter that takes them. */
  deliverChunk(chunk: ReplyChunk): void {
    if (this.waiters.has(chunk.requestId)) this.chunkTakers.get(chunk.requestId)?.(chunk);
  }

  get pending(): number {
    return this.waiters.size;
  }
}

/** What the fake worker does with a sync job: answer, or stay silent (`undefined`). */
export type FakeWorker = (job: InvokeJobData) => Reply | undefined;

export class FakeQueue implements InvocationQueue {
  readonly sync: InvokeJobData[] = [];
  readonly async: InvokeJobData[] = [];
  readonly prepare: PrepareJobData[] = [];
  /** When true, every add fails as an unreachable Redis would. */
  down = false;
  worker: FakeWorker = () => undefined;
  /** The chunks a sync job's streamed response relays before its reply, in the order given. */
  streamed: (job: InvokeJobData) => ReplyChunk[] = () => [];
  fallback: SyncJobFallback = { state: 'withdrawn' };
  /** When true, a silent worker keeps its caller waiting, as a function still running does. */
  holdSilent = false;
  readonly settled: Array<{ requestId: string; route: SyncRoute | undefined }> = [];
  /** Where enqueueSync says a job went: `{}` is the shared queue, a worker id its own queue. */
  route: SyncRoute = {};
  /** What redirectUntaken answers (the job's route from then on) and runs when it moves. */
  redirect: { to: SyncRoute; rerun?: FakeWorker } = { to: {} };
  readonly redirected: Array<{ requestId: string; route: SyncRoute }> = [];

  constructor(private readonly replies: FakeReplies) {}

  private check(): void {
    if (this.down)
      throw new AppError(ERRORS.SERVICE_UNAVAILABLE, 'Redis did not answer; nothing was stored.');
  }

  async enqueueSync(job: InvokeJobData): Promise<SyncRoute> {
    this.check();
    this.sync.push(job);
    const reply = this.worker(job);
    // A silent worker holding a placed job keeps the caller waiting (until redirectUntaken).
    if (reply === undefined && (this.holdSilent || this.route.workerId !== undefined))
      return this.route;
    // Replies arrive later on another connection; a silent worker means the waiter times out.
    const chunks = this.streamed(job);
    setImmediate(() => {
      for (const chunk of chunks) this.replies.deliverChunk(chunk);
      this.replies.deliver(job.requestId, reply);
    });
    return this.route;
  }

  async redirectUntaken(requestId: string, route: SyncRoute): Promise<SyncRoute> {
    this.redirected.push({ requestId, route });
    const job = this.sync.find((j) => j.requestId === requestId);
    const { rerun, to } = this.redirect;
    // Moved: a shared-queue worker runs it. Not moved: the caller's wait runs out.
    const reply = job !== undefined && to.workerId === undefined ? rerun?.(job) : undefined;
    setImmediate(() => this.replies.deliver(requestId, reply));
    return to;
  }

  async enqueueAsync(job: InvokeJobData): Promise<void> {
    this.check();
    this.async.push(job);
  }

  async enqueuePrepare(job: PrepareJobData): Promise<void> {
    this.check();
    this.prepare.push(job);
  }

  async settleSync(requestId: string, route?: SyncRoute): Promise<SyncJobFallback> {
    this.settled.push({ requestId, route });
    return this.fallback;
  }

  /** Async jobs a test marks as still in BullMQ, by request id. */
  readonly pendingAsync = new Map<string, AsyncJobView>();

  async asyncJob(requestId: string): Promise<AsyncJobView | undefined> {
    return this.pendingAsync.get(requestId);
  }

  async depths(): Promise<Record<string, number>> {
    return {
      'invoke-sync': this.sync.length,
      'invoke-async': this.async.length,
      lifecycle: this.prepare.length,
    };
  }
}

export class FakeLeases implements LeaseManager {
  readonly held = new Map<string, string>();
  readonly released: string[] = [];
  refuse: AcquireResult | undefined;

  async acquire(functionName: string, leaseId: string): Promise<AcquireResult> {
    if (this.refuse !== undefined) return this.refuse;
    this.held.set(leaseId, functionName);
    return { ok: true };
  }

  async release(_functionName: string, leaseId: string): Promise<void> {
    this.held.delete(leaseId);
    this.released.push(leaseId);
  }
}
