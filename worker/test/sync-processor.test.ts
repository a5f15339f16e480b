import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeReply, ERRORS, type Coalesce } from '@lambdock/core';
import { InvokeSystemError } from '../src/invoke/invoker.js';
import { createSyncProcessor } from '../src/jobs/sync-processor.js';
import {
  commonDeps,
  fakeInvoker,
  fakeJob,
  fakeLeases,
  fakeReplies,
  jobData,
  result,
} from './helpers/jobs.js';
import { record } from './helpers/records.js';

function setup(invoker = fakeInvoker(async () => result()), records = { demo: record() }) {
  const published: Array<[string, Buffer]> = [];
  const leases = fakeLeases();
  // Chunks are published; the final reply is delivered: both land in `published`, in order.
  const replies = fakeReplies((d) => published.push([d.channel, d.frame]));
  const common = commonDeps(records, invoker);
  const processor = createSyncProcessor({
    ...common.deps,
    leases,
    publisher: {
      publish: async (channel: string, message: Buffer) => published.push([channel, message]),
    },
    replies,
  });
  return { processor, published, replies, leases, invoker, ...common };
}

/** A coalescer that records where its write starts and ends among `events`. */
function recordingCoalesce(events: string[]): Coalesce {
  return (work) => {
    events.push('cork');
    try {
      return work();
    } finally {
      events.push('uncork');
    }
  };
}

/** An invoker whose job `slow` runs until `open()`; every other job finishes at once. */
function gatedInvoker() {
  const gates: Array<() => void> = [];
  const invoker = fakeInvoker(async (request) => {
    if (request.requestId === 'slow') await new Promise<void>((resolve) => gates.push(resolve));
    return result();
  });
  return { invoker, open: () => gates.forEach((release) => release()) };
}

/**
 * Job `fast` runs start to end while `slow` runs; `during` sees the state then, and `slow`
 * then ends alone.
 */
async function overlapping(
  processor: ReturnType<typeof createSyncProcessor>,
  open: () => void,
  during: () => void,
): Promise<void> {
  const slow = processor(fakeJob(jobData({ requestId: 'slow', replyTo: 'gw:1' })));
  await processor(fakeJob(jobData({ requestId: 'fast', replyTo: 'gw:1' })));
  during();
  open();
  await slow;
}

describe('sync invoke jobs', () => {
  it('publishes the reply, keeps a copy until the caller stops waiting, releases the lease', async () => {
    const { processor, published, replies, leases, logs, background } = setup();
    const deadline = Date.now() + 33_000;
    const out = await processor(
      fakeJob(jobData({ replyTo: 'gw:1', leaseId: 'L1', logTail: true, replyDeadline: deadline })),
    );
    assert.equal(published.length, 1);
    const [channel, message] = published[0] ?? ['', Buffer.alloc(0)];
    assert.equal(channel, 'gw:1');
    const reply = decodeReply(message);
    assert.equal(reply.header.outcome, 'success');
    assert.equal(reply.header.executedVersion, '$LATEST');
    assert.equal(reply.payload.toString(), '"ok"');
    assert.match(
      Buffer.from(reply.header.logResult ?? '', 'base64').toString(),
      /^START RequestId: req-1/,
    );
    assert.deepEqual(replies.delivered, [
      {
        channel: 'gw:1',
        jobId: 'job-1',
        frame: message,
        deadline,
        lease: { functionName: 'demo', leaseId: 'L1' },
      },
    ]);
    assert.equal(out, null, 'BullMQ keeps nothing');
    assert.deepEqual(leases.calls, [], 'released with the reply, not again');
    await Promise.all(background);
    assert.equal(logs[0]?.[1], 'req-1');
  });

  it('stores the log under the log stream of the environment that ran it', async () => {
    const named = setup(fakeInvoker(async () => result({ logStream: '2026/12/07/[$LATEST]abc' })));
    await named.processor(fakeJob(jobData({ replyTo: 'gw:1' })));
    await Promise.all(named.background);
    assert.deepEqual(named.logStreams, ['2026/12/07/[$LATEST]abc']);
    const unnamed = setup();
    await unnamed.processor(fakeJob(jobData({ replyTo: 'gw:1' })));
    await Promise.all(unnamed.background);
    assert.deepEqual(unnamed.logStreams, ['unnamed'], 'a run that names none');
  });

  it('hands the lease to the reply: released, kept and published as one command in the coalesced write', async () => {
    const events: string[] = [];
    const leases = fakeLeases();
    const common = commonDeps(
      { demo: record() },
      fakeInvoker(async () => result()),
    );
    const replies = fakeReplies(() => events.push('deliver'));
    const processor = createSyncProcessor({
      ...common.deps,
      leases: {
        renew: (name, id) => leases.renew(name, id),
        release: (name, id) => {
          events.push('release');
          return leases.release(name, id);
        },
      },
      publisher: { publish: async () => events.push('publish') },
      replies,
      coalesce: recordingCoalesce(events),
    });
    await processor(fakeJob(jobData({ replyTo: 'gw:1', leaseId: 'L1' })));
    assert.deepEqual(events, ['cork', 'deliver', 'uncork']);
    assert.deepEqual(replies.delivered[0]?.lease, { functionName: 'demo', leaseId: 'L1' });
  });

  it('releases the lease on its own when there is no reply channel', async () => {
    const { processor, replies, leases } = setup();
    await processor(fakeJob(jobData({ leaseId: 'L4' })));
    assert.equal(replies.delivered.length, 0);
    assert.deepEqual(leases.calls, ['release demo L4']);
  });

  it('sends the gathered logs in the reply write, after the reply', async () => {
    const events: string[] = [];
    const common = commonDeps(
      { demo: record() },
      fakeInvoker(async () => result()),
    );
    const processor = createSyncProcessor({
      ...common.deps,
      leases: fakeLeases(),
      publisher: { publish: async () => events.push('publish') },
      replies: fakeReplies(() => events.push('deliver')),
      flushLogs: async () => {
        events.push('flush logs');
      },
      coalesce: recordingCoalesce(events),
    });
    await processor(fakeJob(jobData({ replyTo: 'gw:1', leaseId: 'L1' })));
    assert.deepEqual(events, ['cork', 'deliver', 'flush logs', 'uncork']);
    events.length = 0;
    // A job with no reply channel (nobody to answer) still lets the logs go.
    await processor(fakeJob(jobData({ requestId: 'req-2' })));
    assert.deepEqual(events, ['cork', 'flush logs', 'uncork']);
  });

  it('leaves the logs to their batch while another sync job runs here', async () => {
    const flushed: string[] = [];
    const { invoker, open } = gatedInvoker();
    const common = commonDeps({ demo: record() }, invoker);
    const processor = createSyncProcessor({
      ...common.deps,
      leases: fakeLeases(),
      publisher: { publish: async () => 1 },
      replies: fakeReplies(),
      flushLogs: async () => {
        flushed.push('flush');
      },
    });
    await overlapping(processor, open, () =>
      assert.deepEqual(flushed, [], 'another job was running'),
    );
    assert.deepEqual(flushed, ['flush'], 'the last one ran alone');
  });

  it('holds the reply for the rest of the turn only while another sync job runs here', async () => {
    const used: string[] = [];
    const { invoker, open } = gatedInvoker();
    const common = commonDeps({ demo: record() }, invoker);
    const tagged =
      (tag: string): Coalesce =>
      (work) => {
        used.push(tag);
        return work();
      };
    const processor = createSyncProcessor({
      ...common.deps,
      leases: fakeLeases(),
      publisher: { publish: async () => 1 },
      replies: fakeReplies(),
      coalesce: tagged('now'),
      coalesceUnderLoad: tagged('end of turn'),
    });
    await overlapping(processor, open, () =>
      assert.deepEqual(used, ['end of turn'], 'another job was running'),
    );
    assert.deepEqual(used, ['end of turn', 'now'], 'the last one ran alone');
  });

  it('runs a job another worker sent for an async attempt: its channel, no lease, error type named', async () => {
    const invoker = fakeInvoker(async () =>
      result({
        outcome: 'function-error',
        payload: Buffer.from('{"errorType":"MyError","errorMessage":"boom"}'),
        errorType: 'MyError',
        errorKind: 'handler',
      }),
    );
    const { processor, published, replies, leases } = setup(invoker);
    await processor(fakeJob(jobData({ replyTo: 'p:wreply:w1', provisionedEnvId: 'env-9' })));
    assert.equal(invoker.seen[0]?.environmentId, 'env-9');
    const [channel, message] = published[0] ?? ['', Buffer.alloc(0)];
    assert.equal(channel, 'p:wreply:w1');
    const reply = decodeReply(message);
    assert.deepEqual([reply.header.outcome, reply.header.errorType], ['function-error', 'MyError']);
    assert.equal(
      decodeReply(replies.delivered[0]?.frame ?? Buffer.alloc(4)).header.errorType,
      'MyError',
      'its copy names it too',
    );
    assert.equal(replies.delivered[0]?.lease, undefined);
    assert.deepEqual(leases.calls, [], 'no lease: the attempt holds its own');
  });

  it('skips a job whose caller already gave up, releasing its lease', async () => {
    const { processor, published, replies, leases, invoker } = setup();
    const out = await processor(
      fakeJob(jobData({ replyTo: 'gw:1', leaseId: 'L2', replyDeadline: Date.now() - 1 })),
    );
    assert.equal(out, null);
    assert.equal(published.length, 0);
    assert.equal(replies.delivered.length, 0);
    assert.equal(invoker.seen.length, 0);
    assert.deepEqual(leases.calls, ['release demo L2']);
  });

  it('rejects an unknown function with the not-found code', async () => {
    const { processor, published } = setup(undefined, {} as never);
    await processor(fakeJob(jobData({ replyTo: 'gw:1' })));
    const reply = decodeReply(published[0]?.[1] ?? Buffer.alloc(4));
    assert.equal(reply.header.outcome, 'rejected');
    assert.equal(reply.header.error?.code, ERRORS.FUNCTION_NOT_FOUND.code);
    assert.equal(
      reply.header.error?.message,
      'Function not found: arn:aws:lambda:us-east-1:000000000000:function:demo:$LATEST',
    );
  });

  it('rejects a function that is not Active with a conflict', async () => {
    const { processor, published } = setup(undefined, { demo: record({ state: 'Pending' }) });
    await processor(fakeJob(jobData({ replyTo: 'gw:1' })));
    const reply = decodeReply(published[0]?.[1] ?? Buffer.alloc(4));
    assert.equal(reply.header.error?.code, ERRORS.FUNCTION_CONFLICT.code);
    assert.match(reply.header.error?.message ?? '', /currently in the following state: Pending/);
  });

  it('turns a platform failure into a rejected reply, not a function error', async () => {
    const invoker = fakeInvoker(async () => {
      throw new InvokeSystemError('image-missing', 'Image not found: x', false);
    });
    const { processor, published } = setup(invoker);
    await processor(fakeJob(jobData({ replyTo: 'gw:1' })));
    const reply = decodeReply(published[0]?.[1] ?? Buffer.alloc(4));
    assert.equal(reply.header.outcome, 'rejected');
    assert.equal(reply.header.error?.code, ERRORS.INTERNAL.code);
  });

  it('reuses the record of the generation the gateway admitted, async jobs aside', async () => {
    const { processor, deps } = setup();
    const read = deps.registry.get;
    let reads = 0;
    deps.registry.get = async (name: string) => {
      reads += 1;
      return read(name);
    };
    await processor(fakeJob(jobData({ generation: 1 })));
    await processor(fakeJob(jobData({ generation: 1 })));
    assert.equal(reads, 1);
    await processor(fakeJob(jobData({})));
    assert.equal(reads, 2);
  });

  it('answers the waiting caller when something unexpected breaks', async () => {
    const { processor, published, replies, leases, deps } = setup();
    deps.registry.get = async () => {
      throw new Error('redis went away');
    };
    await processor(fakeJob(jobData({ replyTo: 'gw:1', leaseId: 'L3' })));
    const reply = decodeReply(published[0]?.[1] ?? Buffer.alloc(4));
    assert.equal(reply.header.error?.code, ERRORS.INTERNAL.code);
    assert.deepEqual(replies.delivered[0]?.lease, { functionName: 'demo', leaseId: 'L3' });
    assert.deepEqual(leases.calls, []);
  });

  it('passes the event, context and sync priority to the invoker; an empty event becomes {}', async () => {
    const { processor, invoker } = setup();
    await processor(
      fakeJob(jobData({ payload: '', clientContext: '{"c":1}', traceId: 'Root=1-x' })),
    );
    const seen = invoker.seen[0];
    assert.equal(seen?.payload.toString(), '{}');
    assert.equal(seen?.clientContext, '{"c":1}');
    assert.equal(seen?.traceId, 'Root=1-x');
    assert.equal(seen?.priority, 'sync');
  });
});
