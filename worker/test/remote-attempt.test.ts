import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ERRORS,
  createSilentLogger,
  type InvokeJobData,
  type Reply,
  type ReplyWaiter,
} from '@lambdock/core';
import { createMetrics } from '../src/metrics.js';
import {
  createRemoteAttempt,
  type DirectJob,
  type DirectQueue,
} from '../src/provisioned/remote-attempt.js';
import { jobData } from './helpers/jobs.js';
import { record } from './helpers/records.js';

/** Replies as the channel waiter hands them out: by request id, undefined on timeout or abort. */
function fakeReplies() {
  const waiting = new Map<string, (reply: Reply | undefined) => void>();
  const replies: ReplyWaiter = {
    wait: (requestId, timeoutMs) => {
      let done!: (reply: Reply | undefined) => void;
      const reply = new Promise<Reply | undefined>((resolve) => {
        done = (answer) => {
          clearTimeout(timer);
          waiting.delete(requestId);
          resolve(answer);
        };
      });
      const timer = setTimeout(() => done(undefined), timeoutMs);
      waiting.set(requestId, done);
      return { reply, cancel: () => done(undefined) };
    },
  };
  return {
    replies,
    waiting,
    answer: (reply: Reply) => waiting.get(reply.header.requestId)?.(reply),
  };
}

interface StoredJob {
  id: string;
  data: InvokeJobData;
  opts: Record<string, unknown>;
  state: string;
}

/** One worker's direct queue; `onAdd` plays that worker. */
function fakeQueue(onAdd: (job: StoredJob) => void = () => undefined) {
  const jobs = new Map<string, StoredJob>();
  const queue: DirectQueue = {
    add: async (_name, data, opts) => {
      const job = { id: String(opts.jobId), data, opts, state: 'waiting' };
      jobs.set(String(opts.jobId), job);
      onAdd(job);
      return {};
    },
    getJob: async (id) => {
      const job = jobs.get(id);
      if (job === undefined) return undefined;
      const view: DirectJob = {
        getState: async () => job.state,
        remove: async () => {
          if (job.state === 'active') throw new Error('job is locked');
          jobs.delete(id);
        },
      };
      return view;
    },
  };
  return { queue, jobs };
}

/** The other worker: `answer` publishes a reply, `finish` removes the job keeping its copy. */
interface Remote {
  answer(reply: Reply): void;
  finish(job: StoredJob, copy?: Reply): void;
}

function setup(onAdd?: (job: StoredJob, remote: Remote) => void, pickupMs = 5_000) {
  const r = fakeReplies();
  const copies = new Map<string, Reply>();
  const remote: Remote = {
    answer: r.answer,
    finish(job, copy) {
      q.jobs.delete(job.id);
      if (copy !== undefined) copies.set(job.id, copy);
    },
  };
  const q = fakeQueue((job) => onAdd?.(job, remote));
  const metrics = createMetrics();
  const queues: string[] = [];
  const run = createRemoteAttempt({
    queue: (workerId) => {
      queues.push(workerId);
      return q.queue;
    },
    replies: r.replies,
    replyChannel: 'p:wreply:w1',
    copies: { read: async (jobId) => copies.get(jobId) },
    pickupMs,
    graceMs: 0,
    metrics,
    logger: createSilentLogger(),
  });
  return { run, queues, jobs: q.jobs, waiting: r.waiting, metrics };
}

const CLAIM = { workerId: 'w2', environmentId: 'env-9' };
const v3 = record({ version: '3', generation: 4, timeoutS: 0.05 });
const header = (outcome: 'success' | 'function-error') => ({
  requestId: 'req-1',
  outcome,
  executedVersion: '3',
});

async function remoteRuns(s: ReturnType<typeof setup>): Promise<string> {
  const text = await s.metrics.registry.metrics();
  return text
    .split('\n')
    .filter((l) => l.startsWith('lambdock_provisioned_concurrency_remote_attempts_total{'))
    .join('\n');
}

describe('an async attempt on another worker’s provisioned environment', () => {
  it('sends that worker a sync job for the claimed environment and takes its answer', async () => {
    const s = setup((job, remote) => {
      job.state = 'active';
      remote.answer({ header: header('success'), payload: Buffer.from('"hi"') });
    });
    const data = jobData({ qualifier: 'live', traceId: 'Root=1-x' });
    const execution = await s.run(CLAIM, data, v3, '3');
    assert.equal(execution.kind, 'ran');
    if (execution.kind === 'ran') assert.equal(execution.result.payload.toString(), '"hi"');
    assert.deepEqual(s.queues, ['w2']);
    const [jobId = '', sent] = [...s.jobs][0] ?? [];
    assert.ok(sent, 'one job queued');
    assert.match(jobId, /^req-1\.[0-9a-f]{8}$/, 'unique per send, no `:`');
    assert.deepEqual(sent.opts, {
      attempts: 1,
      removeOnComplete: true,
      removeOnFail: { age: 600 },
      jobId,
    });
    const { acceptedAt, replyDeadline, ...rest } = sent.data;
    assert.deepEqual(rest, {
      requestId: 'req-1',
      functionName: 'demo',
      qualifier: '3',
      invokedArn: data.invokedArn,
      payload: data.payload,
      traceId: 'Root=1-x',
      logTail: false,
      replyTo: 'p:wreply:w1',
      generation: 4,
      provisionedEnvId: 'env-9',
    });
    assert.equal('leaseId' in sent.data, false, 'the attempt holds the only lease');
    assert.equal(replyDeadline, acceptedAt + 5_000 + 50);
    assert.match(await remoteRuns(s), /function="demo",outcome="success".* 1/);
  });

  it('turns a function error into one, with its error type', async () => {
    const s = setup((_job, remote) =>
      remote.answer({
        header: { ...header('function-error'), errorType: 'MyError' },
        payload: Buffer.from('{"errorType":"MyError","errorMessage":"boom"}'),
      }),
    );
    const execution = await s.run(CLAIM, jobData(), v3, '3');
    assert.equal(execution.kind, 'ran');
    if (execution.kind === 'ran')
      assert.deepEqual(
        [execution.result.outcome, execution.result.errorType],
        ['function-error', 'MyError'],
      );
  });

  it('withdraws a job the other worker never took and ends the attempt as a platform error', async () => {
    const s = setup(undefined, 20);
    const started = Date.now();
    const execution = await s.run(CLAIM, jobData(), record({ version: '3', timeoutS: 60 }), '3');
    assert.ok(Date.now() - started < 5_000, 'after the pick-up window, not the timeout');
    assert.equal(execution.kind, 'rejected');
    if (execution.kind === 'rejected') {
      assert.equal(execution.rejection.code, ERRORS.INVOKE_TIMEOUT.code);
      assert.equal(execution.rejection.retryable, true);
    }
    assert.equal(s.jobs.size, 0, 'the job is gone: it can never run late');
    assert.equal(s.waiting.size, 0);
    assert.match(await remoteRuns(s), /outcome="no-reply".* 1/);
  });

  it('reads the copy the other worker kept when the reply was lost', async () => {
    const s = setup((job, remote) => {
      remote.finish(job, { header: header('success'), payload: Buffer.from('"kept"') });
    }, 10);
    const execution = await s.run(CLAIM, jobData(), v3, '3');
    assert.equal(execution.kind, 'ran');
    if (execution.kind === 'ran') assert.equal(execution.result.payload.toString(), '"kept"');
    assert.match(await remoteRuns(s), /outcome="success".* 1/);
  });

  it('ends as a platform error when the job finished without a reply or a copy', async () => {
    const s = setup((job, remote) => remote.finish(job), 10);
    const execution = await s.run(CLAIM, jobData(), v3, '3');
    assert.equal(execution.kind, 'rejected');
    if (execution.kind === 'rejected') {
      assert.match(execution.rejection.message, /gone without a reply/);
      assert.equal(execution.rejection.retryable, true);
    }
  });

  it('keeps waiting while the job runs, then gives up as a platform error', async () => {
    const s = setup((job) => {
      job.state = 'active';
    }, 10);
    const execution = await s.run(CLAIM, jobData(), v3, '3');
    assert.equal(execution.kind, 'rejected');
    if (execution.kind === 'rejected') assert.match(execution.rejection.message, /still running/);
    assert.equal(s.jobs.size, 1, 'a running job is not removed');
  });

  it('ends as a platform error when the job cannot be queued', async () => {
    const r = fakeReplies();
    const run = createRemoteAttempt({
      queue: () => ({
        add: async () => {
          throw new Error('Connection is closed.');
        },
        getJob: async () => undefined,
      }),
      replies: r.replies,
      replyChannel: 'c',
      copies: { read: async () => undefined },
      pickupMs: 10,
      graceMs: 0,
      metrics: createMetrics(),
      logger: createSilentLogger(),
    });
    const execution = await run(CLAIM, jobData(), v3, '3');
    assert.equal(execution.kind, 'rejected');
    if (execution.kind === 'rejected') assert.equal(execution.rejection.retryable, true);
    assert.equal(r.waiting.size, 0, 'nobody waits any more');
  });
});
