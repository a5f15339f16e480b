/**
 * @module
 * The failed-job listener (failed-events.ts) ends an event whose job BullMQ failed for good,
 * trying for about a minute. A worker that stopped meanwhile, or a Redis that refused all that
 * time, leaves the event open with its job in the failed set (kept a day). Every worker sweeps
 * that set: a job failed longer ago than the listener tries, whose event has not ended, is ended
 * now, as the listener would have ended it. The set is read newest first, so a sweep with a
 * lookback stops at the first job older than that: the minutely sweeps read only the last few
 * minutes' failures, and the sweep at a worker's start reads the whole day. Workers racing on one event are harmless: the
 * record's compare-and-set lets one end it, and its deliveries carry ids of their own.
 */
import type { Job } from 'bullmq';
import { isTerminal, type InvokeJobData } from '@lambdock/core';
import { settleFailedEvent, type FailedEventDeps } from './failed-events.js';

const PAGE = 200;

export interface FailedSweepDeps extends FailedEventDeps {
  queue: { getFailed(start?: number, end?: number): Promise<Job[]> };
  /** Jobs failed more recently than this are still the listener's. */
  minAgeMs: number;
  /** Most jobs looked at per sweep. */
  maxJobs: number;
  /** Jobs failed longer ago than this are not looked at. @defaultValue all the set keeps */
  lookbackMs?: number;
  /** BullMQ's `finishedOn` is the failing worker's wall clock. @defaultValue Date.now */
  wallNow?: () => number;
}

/** Ends the open events of failed jobs; returns how many it ended. */
export async function sweepFailedEvents(deps: FailedSweepDeps): Promise<number> {
  const wallNow = deps.wallNow ?? Date.now;
  let ended = 0;
  for (let start = 0; start < deps.maxJobs; start += PAGE) {
    const jobs = await deps.queue.getFailed(start, start + PAGE - 1);
    for (const job of jobs) {
      const { finishedOn } = job;
      if (finishedOn === undefined) continue;
      const ageMs = wallNow() - finishedOn;
      if (deps.lookbackMs !== undefined && ageMs > deps.lookbackMs) return ended;
      if (ageMs < deps.minAgeMs) continue;
      const data = job.data as InvokeJobData;
      const record = await deps.records.get(data.requestId);
      if (record !== undefined && isTerminal(record)) continue;
      const failed = { data, finishedOn };
      if (await settleFailedEvent(deps, failed, job.failedReason, true)) ended += 1;
    }
    if (jobs.length < PAGE) break;
  }
  return ended;
}
