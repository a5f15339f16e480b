/**
 * @module
 * Fakes for the job processors: a BullMQ job, an invoker, leases, and the shared deps.
 */
import {
  createSilentLogger,
  type AliasRecord,
  type Delivery,
  type FunctionRecord,
  type InvokeJobData,
  type LogAppend,
} from '@lambdock/core';
import type { Job } from 'bullmq';
import type { InvokeRequest, InvokeResult, Invoker } from '../../src/invoke/invoker.js';
import { createMetrics } from '../../src/metrics.js';

export function jobData(overrides: Partial<InvokeJobData> = {}): InvokeJobData {
  return {
    requestId: 'req-1',
    functionName: 'demo',
    qualifier: '$LATEST',
    invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
    payload: '{"a":1}',
    logTail: false,
    acceptedAt: Date.now() - 5,
    ...overrides,
  };
}

export interface FakeJob extends Job<InvokeJobData> {
  delayedTo?: number;
}

export function fakeJob(data: InvokeJobData, attemptsMade = 0): FakeJob {
  const job = {
    id: 'job-1',
    data,
    attemptsMade,
    moveToDelayed: async (timestamp: number) => {
      job.delayedTo = timestamp;
    },
  } as unknown as FakeJob;
  return job;
}

export function result(overrides: Partial<InvokeResult> = {}): InvokeResult {
  return {
    outcome: 'success',
    payload: Buffer.from('"ok"'),
    contentType: 'application/json',
    coldStart: true,
    durationMs: 3,
    initDurationMs: 100,
    log: Promise.resolve('START RequestId: req-1 Version: $LATEST\nEND RequestId: req-1\n'),
    ...overrides,
  };
}

export function fakeInvoker(
  answer: (r: InvokeRequest) => Promise<InvokeResult>,
): Invoker & { seen: InvokeRequest[] } {
  const seen: InvokeRequest[] = [];
  return {
    seen,
    invoke: async (r) => {
      seen.push(r);
      return answer(r);
    },
  };
}

export function fakeLeases(acquireOk = true) {
  const calls: string[] = [];
  return {
    calls,
    acquire: async (fn: string, id: string) => (
      calls.push(`acquire ${fn} ${id}`),
      { ok: acquireOk }
    ),
    renew: async (fn: string, id: string) => (calls.push(`renew ${fn} ${id}`), true),
    release: async (fn: string, id: string) => void calls.push(`release ${fn} ${id}`),
  };
}

/** Published versions (`name:version` → record) and aliases (`name:alias` → record). */
export interface Published {
  versions?: Record<string, FunctionRecord>;
  aliases?: Record<string, AliasRecord>;
}

export function commonDeps(
  records: Record<string, FunctionRecord>,
  invoker: Invoker,
  published: Published = {},
) {
  const logs: Array<[string, string, string]> = [];
  /** The log stream of each append, in order. */
  const logStreams: string[] = [];
  const background: Array<Promise<unknown>> = [];
  const versionReads: string[] = [];
  return {
    logs,
    logStreams,
    background,
    versionReads,
    deps: {
      registry: { get: async (name: string) => records[name] },
      versions: {
        getVersion: async (name: string, version: string) => {
          versionReads.push(`${name}:${version}`);
          return published.versions?.[`${name}:${version}`];
        },
        getAlias: async (name: string, alias: string) => published.aliases?.[`${name}:${alias}`],
      },
      invoker,
      logStore: {
        append: async (e: LogAppend) => {
          logs.push([e.functionName, e.requestId, e.text]);
          logStreams.push(e.logStream);
        },
      },
      metrics: createMetrics(),
      logger: createSilentLogger(),
      track: (p: Promise<unknown>) => void background.push(p),
      leaseTtlMs: 30_000,
      renewalsPerTtl: 3,
    },
  };
}

/**
 * Replies delivered, in order (reply-delivery.ts): each with its channel, job id, frame,
 * deadline and the lease released with it; `onDeliver` sees each as it is sent.
 */
export function fakeReplies(onDeliver?: (delivery: Delivery) => void) {
  const delivered: Delivery[] = [];
  return {
    delivered,
    deliver: async (delivery: Delivery) => {
      onDeliver?.(delivery);
      delivered.push(delivery);
      return { copied: true };
    },
  };
}
