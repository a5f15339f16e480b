import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DelayedError } from 'bullmq';
import { ERRORS, type AliasRecord, type ProvisionedClaim } from '@lambdock/core';
import { createAsyncProcessor } from '../src/jobs/async-processor.js';
import type { AsyncPlacement, Execution } from '../src/jobs/execute.js';
import type { AsyncRoute } from '../src/provisioned/async-route.js';
import { executionFromReply, noReply } from '../src/provisioned/remote-outcome.js';
import { fakeClock, fakeEvents } from './helpers/async-events.js';
import { commonDeps, fakeInvoker, fakeJob, fakeLeases, jobData, result } from './helpers/jobs.js';
import { record } from './helpers/records.js';

const live: AliasRecord = {
  name: 'live',
  functionName: 'demo',
  functionVersion: '3',
  description: '',
  revisionId: 'r',
};
const CLAIM: ProvisionedClaim = { workerId: 'w2', environmentId: 'env-9' };
const ERROR_BODY = Buffer.from('{"errorType":"MyError","errorMessage":"boom","trace":[]}');

/** A placement that routes every attempt as told and answers remote runs with `remote`. */
function placement(route: AsyncRoute, remote: () => Execution) {
  const seen: string[] = [];
  const p: AsyncPlacement = {
    route: async (r, version) => (seen.push(`route ${r.name}:${version}`), route),
    runRemote: async (claim, data, _record, version) => {
      seen.push(`remote ${claim.workerId}/${claim.environmentId} ${data.requestId} ${version}`);
      return remote();
    },
  };
  return { p, seen };
}

function setup(route: AsyncRoute, remote: () => Execution = () => noReply('w2', 'x', '3')) {
  const clock = fakeClock();
  const invoker = fakeInvoker(async () => result());
  const common = commonDeps({ demo: record() }, invoker, {
    versions: { 'demo:3': record({ version: '3', generation: 2 }) },
    aliases: { 'demo:live': live },
  });
  const events = fakeEvents({ retryBaseDelayMs: 100 });
  const leases = fakeLeases();
  const place = placement(route, remote);
  const processor = createAsyncProcessor({
    ...common.deps,
    leases,
    events,
    placement: place.p,
    now: clock.now,
  });
  const data = jobData({ qualifier: 'live', acceptedAt: clock.ms });
  return { processor, invoker, events, clock, data, leases, seen: place.seen, logs: common.logs };
}

const ranRemotely = (payload: Buffer, outcome: 'success' | 'function-error'): Execution =>
  executionFromReply(
    {
      header: {
        requestId: 'req-1',
        outcome,
        executedVersion: '3',
        ...(outcome === 'function-error' ? { errorType: 'MyError' } : {}),
      },
      payload,
    },
    '3',
    5,
  );

describe('async attempts on provisioned environments of other workers', () => {
  it('runs the attempt remotely under its own lease, and records it like a local run', async () => {
    const s = setup({ kind: 'remote', claim: CLAIM }, () =>
      ranRemotely(Buffer.from('{"done":true}'), 'success'),
    );
    const out = await s.processor(fakeJob(s.data), 'token');
    assert.equal(out?.outcome, 'success');
    assert.deepEqual(s.seen, ['route demo:3', 'remote w2/env-9 req-1 3']);
    assert.equal(s.invoker.seen.length, 0, 'nothing ran here');
    assert.deepEqual(s.logs, [], 'the log is the other worker’s to store');
    assert.deepEqual(s.leases.calls, ['acquire demo job-1:0', 'release demo job-1:0']);
    const stored = s.events.records.records.get('req-1');
    assert.deepEqual(
      [stored?.Status, stored?.ExecutedVersion, stored?.Result],
      ['succeeded', '3', { done: true }],
    );
    assert.deepEqual(
      stored?.Attempts.map((a) => a.Outcome),
      ['Success'],
    );
  });

  it('spends a retry on a remote function error, with its error type', async () => {
    const s = setup({ kind: 'remote', claim: CLAIM }, () =>
      ranRemotely(ERROR_BODY, 'function-error'),
    );
    await assert.rejects(s.processor(fakeJob(s.data), 'token'), DelayedError);
    const attempt = s.events.records.records.get('req-1')?.Attempts[0];
    assert.deepEqual([attempt?.Outcome, attempt?.ErrorType], ['FunctionError', 'MyError']);
  });

  it('puts the event back without spending a retry when no reply came', async () => {
    const s = setup({ kind: 'remote', claim: CLAIM });
    const job = fakeJob(s.data);
    await assert.rejects(s.processor(job, 'token'), DelayedError);
    const stored = s.events.records.records.get('req-1');
    assert.deepEqual(
      stored?.Attempts.map((a) => [a.Outcome, a.ErrorType]),
      [['PlatformError', ERRORS.INVOKE_TIMEOUT.code]],
    );
    assert.equal(stored?.Status, 'queued');
    assert.ok(job.delayedTo !== undefined, 'back to the queue');
  });

  it('runs here on the environment a claim found on this worker', async () => {
    const s = setup({ kind: 'local', environmentId: 'env-mine' });
    await s.processor(fakeJob(s.data), 'token');
    assert.equal(s.invoker.seen[0]?.environmentId, 'env-mine');
    assert.equal(s.invoker.seen[0]?.version, '3');
    assert.equal(s.logs.length, 1, 'a local run stores its log here');
  });

  it('runs here as before when the route says so', async () => {
    const s = setup({ kind: 'local' });
    await s.processor(fakeJob(s.data), 'token');
    assert.equal(s.invoker.seen.length, 1);
    assert.equal(s.invoker.seen[0]?.environmentId, undefined);
  });
});
