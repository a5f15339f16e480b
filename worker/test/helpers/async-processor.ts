/**
 * @module
 * The async processor on fakes: one function (optionally with a dead-letter queue), a fake clock
 * the retries advance, and the event's record read back.
 */
import assert from 'node:assert/strict';
import { DelayedError } from 'bullmq';
import type { InvocationRecord } from '@lambdock/core';
import { createAsyncProcessor } from '../../src/jobs/async-processor.js';
import { fakeClock, fakeEvents, type FakeEvents, type reasonLeases } from './async-events.js';
import { commonDeps, fakeInvoker, fakeJob, fakeLeases, jobData, result } from './jobs.js';
import { record } from './records.js';

export const FAILURE = Buffer.from('{"errorType":"MyError","errorMessage":"boom","trace":[]}');
export const failing = () =>
  fakeInvoker(async () =>
    result({
      outcome: 'function-error',
      payload: FAILURE,
      errorType: 'MyError',
      errorKind: 'handler',
    }),
  );
export const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:demo:$LATEST';
export const ON_FAILURE = 'arn:aws:sqs:us-east-1:000000000000:failures';
export const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';

export interface SetupOptions {
  invoker?: ReturnType<typeof fakeInvoker>;
  leases?: ReturnType<typeof reasonLeases>;
  events?: Partial<FakeEvents>;
  deadLetter?: string;
}

export function setup(options: SetupOptions = {}) {
  const clock = fakeClock();
  const invoker = options.invoker ?? fakeInvoker(async () => result());
  const fn = record(
    options.deadLetter === undefined ? {} : { deadLetterTargetArn: options.deadLetter },
  );
  const common = commonDeps({ demo: fn }, invoker);
  const events = fakeEvents(options.events);
  const processor = createAsyncProcessor({
    ...common.deps,
    leases: options.leases ?? fakeLeases(),
    events,
    now: clock.now,
  });
  const data = jobData({ acceptedAt: clock.ms });
  const stored = (): InvocationRecord => {
    const r = events.records.records.get('req-1');
    assert.ok(r, 'the event has a record');
    return r;
  };
  return { processor, invoker, events, clock, data, stored, metrics: common.deps.metrics };
}

/** Run pickups until the job completes (retries advance the clock by their delay). */
export async function runToEnd(s: ReturnType<typeof setup>, maxPickups = 10): Promise<number> {
  for (let pickup = 1; pickup <= maxPickups; pickup++) {
    const job = fakeJob(s.data);
    try {
      await s.processor(job, 'token');
      return pickup;
    } catch (err) {
      if (!(err instanceof DelayedError)) throw err;
      const next = s.stored().NextAttemptAt;
      s.clock.ms = next === undefined ? s.clock.ms + 1000 : Date.parse(next);
    }
  }
  throw new Error('did not end');
}
