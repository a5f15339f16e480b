import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DelayedError, UnrecoverableError } from 'bullmq';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import { throttleDelayMs } from '../src/jobs/async-policy.js';
import { createAsyncProcessor } from '../src/jobs/async-processor.js';
import { commonDeps, fakeInvoker, fakeJob, fakeLeases, jobData, result } from './helpers/jobs.js';
import { record } from './helpers/records.js';

function setup(acquireOk = true, invoker = fakeInvoker(async () => result())) {
  const leases = fakeLeases(acquireOk);
  const common = commonDeps({ demo: record() }, invoker);
  const processor = createAsyncProcessor({ ...common.deps, leases });
  return { processor, leases, invoker, metrics: common.deps.metrics };
}

describe('async invoke jobs', () => {
  it('takes a lease per attempt, runs the event and completes with the result', async () => {
    const { processor, leases, invoker } = setup();
    const out = await processor(fakeJob(jobData(), 2), 'token');
    assert.equal(out.outcome, 'success');
    assert.deepEqual(leases.calls, ['acquire demo job-1:2', 'release demo job-1:2']);
    assert.equal(invoker.seen[0]?.priority, 'async');
  });

  it('puts a throttled event back on the queue without spending an attempt', async () => {
    const { processor, invoker, metrics } = setup(false);
    const job = fakeJob(jobData());
    const before = Date.now();
    await assert.rejects(processor(job, 'token'), DelayedError);
    assert.ok((job.delayedTo ?? 0) >= before + 800);
    assert.equal(invoker.seen.length, 0);
    assert.match(
      await metrics.registry.metrics(),
      /lambdock_worker_throttles_total\{service="worker"\} 1/,
    );
  });

  it('completes on a function error (retries come with the retry policy)', async () => {
    const { processor } = setup(
      true,
      fakeInvoker(async () => result({ outcome: 'function-error', errorKind: 'handler' })),
    );
    assert.equal((await processor(fakeJob(jobData()), 'token')).outcome, 'function-error');
  });

  it('retries later on a retryable platform failure and gives up on a permanent one', async () => {
    const transient = setup(
      true,
      fakeInvoker(async () => {
        throw new InvokeSystemError('engine', 'docker down', true);
      }),
    );
    await assert.rejects(transient.processor(fakeJob(jobData()), 'token'), DelayedError);
    const permanent = setup(
      true,
      fakeInvoker(async () => {
        throw new InvokeSystemError('image-missing', 'Image not found', false);
      }),
    );
    await assert.rejects(permanent.processor(fakeJob(jobData()), 'token'), UnrecoverableError);
  });

  it('grows the throttle delay with the event age, within 1 s to 5 min', () => {
    assert.equal(
      throttleDelayMs(0, () => 0.5),
      1000,
    );
    assert.equal(
      throttleDelayMs(40_000, () => 0.5),
      10_000,
    );
    assert.equal(
      throttleDelayMs(10 * 3_600_000, () => 0.5),
      300_000,
    );
    assert.ok(throttleDelayMs(0, () => 0) >= 800 && throttleDelayMs(0, () => 1) <= 1200);
  });
});
