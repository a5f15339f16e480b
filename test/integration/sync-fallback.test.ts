/**
 * A finished sync job leaves only its reply's copy behind (real Redis, real BullMQ): the job is
 * removed as it completes, the copy lives until the caller's deadline plus the margin, and a
 * caller whose published reply was lost settles on that copy. A job that ended without one is
 * missing, so the caller's lease is given back.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { Worker, type Job } from 'bullmq';
import { Redis } from 'ioredis';
import {
  QUEUES,
  REPLY_COPY_MARGIN_MS,
  ConcurrencyLeases,
  createKeys,
  createReplyCopies,
  createReplyDelivery,
  encodeReply,
  type InvokeJobData,
} from '@lambdock/core';
import {
  createBullmqInvocationQueue,
  createInvocationQueues,
} from '@lambdock/gateway/invocation-queue';
import { useRedis } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

describe('sync jobs after they finish (real Redis)', () => {
  const ctx = useRedis();

  /** A gateway's queue, and a worker that answers as the sync processor does when `keep`. */
  function setup(keep: boolean) {
    const prefix = `t${randomBytes(4).toString('hex')}`;
    const keys = createKeys(prefix);
    const copies = createReplyCopies(ctx.redis, keys);
    const leases = new ConcurrencyLeases(ctx.redis, keys, 10, 30_000);
    // As the worker sends a reply: published (on a channel nobody listens to: the reply is
    // lost) with its copy.
    const replies = createReplyDelivery(ctx.redis, keys, leases);
    const queues = createInvocationQueues(ctx.redis, prefix, () => undefined);
    const queue = createBullmqInvocationQueue(queues, copies, 2000);
    const connection = new Redis(ctx.server.url, { maxRetriesPerRequest: null });
    const finished: string[] = [];
    const worker = new Worker<InvokeJobData>(
      QUEUES.INVOKE_SYNC,
      async (job: Job<InvokeJobData>) => {
        const header = { requestId: job.data.requestId, outcome: 'success' as const };
        const frame = encodeReply({ ...header, executedVersion: '$LATEST' }, Buffer.from('"k"'));
        if (keep) {
          const { replyDeadline: deadline } = job.data;
          const channel = `${prefix}:nobody`;
          await replies.deliver({ channel, jobId: String(job.id), frame, deadline });
        }
        return null;
      },
      { connection, prefix },
    );
    worker.on('completed', (job) => finished.push(String(job.id)));
    const close = async (): Promise<void> => {
      await worker.close();
      connection.disconnect();
      await Promise.all([queues.sync.close(), queues.async.close(), queues.lifecycle.close()]);
    };
    return { prefix, keys, queue, finished, close };
  }

  const job = (requestId: string, replyDeadline: number): InvokeJobData => ({
    requestId,
    functionName: 'demo',
    qualifier: '$LATEST',
    invokedArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
    payload: '{}',
    logTail: false,
    acceptedAt: Date.now(),
    replyDeadline,
  });

  it('removes the finished job and settles a lost reply on its copy', async () => {
    const s = setup(true);
    try {
      const deadline = Date.now() + 20_000;
      await s.queue.enqueueSync(job('req-kept', deadline));
      await waitFor('the job to finish', 5000, async () =>
        s.finished.includes('req-kept') ? true : undefined,
      );
      assert.equal(await ctx.redis.exists(`${s.prefix}:${QUEUES.INVOKE_SYNC}:req-kept`), 0);
      assert.equal(await ctx.redis.zcard(`${s.prefix}:${QUEUES.INVOKE_SYNC}:completed`), 0);
      const fate = await s.queue.settleSync('req-kept');
      assert.equal(fate.state, 'completed');
      if (fate.state === 'completed') {
        assert.equal(fate.reply.header.requestId, 'req-kept');
        assert.equal(fate.reply.payload.toString(), '"k"');
      }
      const ttl = await ctx.redis.pttl(s.keys.replyCopy('req-kept'));
      const most = deadline - Date.now() + REPLY_COPY_MARGIN_MS;
      assert.ok(ttl > most - 5_000 && ttl <= most + 100, `copy kept ${ttl} ms, about ${most}`);
    } finally {
      await s.close();
    }
  });

  it('reports a job that finished without a copy as missing', async () => {
    const s = setup(false);
    try {
      await s.queue.enqueueSync(job('req-lost', Date.now() + 20_000));
      await waitFor('the job to finish', 5000, async () =>
        s.finished.includes('req-lost') ? true : undefined,
      );
      assert.deepEqual(await s.queue.settleSync('req-lost'), { state: 'missing' });
    } finally {
      await s.close();
    }
  });
});
