import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeReply, ERRORS, type AliasRecord } from '@lambdock/core';
import { execute } from '../src/jobs/execute.js';
import { createSyncProcessor } from '../src/jobs/sync-processor.js';
import {
  commonDeps,
  fakeReplies,
  fakeInvoker,
  fakeJob,
  fakeLeases,
  jobData,
  result,
} from './helpers/jobs.js';
import { record } from './helpers/records.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:demo';

function alias(name: string, functionVersion: string, weights?: Record<string, number>) {
  const a: AliasRecord = {
    name,
    functionName: 'demo',
    functionVersion,
    description: '',
    revisionId: 'r',
    ...(weights === undefined ? {} : { additionalVersionWeights: weights }),
  };
  return a;
}

/** $LATEST at generation 9; versions 1 (generation 5) and 2 (generation 7) differ by env. */
function setup() {
  const invoker = fakeInvoker(async () => result());
  const common = commonDeps(
    { demo: record({ generation: 9, environment: { RUNS: '$LATEST' } }) },
    invoker,
    {
      versions: {
        'demo:1': record({ generation: 5, version: '1', environment: { RUNS: '1' } }),
        'demo:2': record({ generation: 7, version: '2', environment: { RUNS: '2' } }),
      },
      aliases: {
        'demo:live': alias('live', '1', { '2': 1 }),
        'demo:stable': alias('stable', '1'),
        'demo:broken': alias('broken', '4'),
      },
    },
  );
  const published: Buffer[] = [];
  const processor = createSyncProcessor({
    ...common.deps,
    leases: fakeLeases(),
    publisher: { publish: async () => 0 },
    replies: fakeReplies((delivery) => published.push(delivery.frame)),
  });
  return { invoker, processor, published, ...common };
}

describe('jobs with a qualifier', () => {
  it('runs the version a sync job names, reporting it and passing the ARN as invoked', async () => {
    const { processor, published, invoker } = setup();
    await processor(
      fakeJob(jobData({ qualifier: '2', invokedArn: `${ARN}:live`, generation: 7, replyTo: 'gw' })),
    );
    const seen = invoker.seen[0];
    assert.deepEqual(
      [seen?.version, seen?.record.environment.RUNS, seen?.invokedFunctionArn],
      ['2', '2', `${ARN}:live`],
    );
    const reply = decodeReply(published[0] ?? Buffer.alloc(4));
    assert.deepEqual([reply.header.outcome, reply.header.executedVersion], ['success', '2']);
  });

  it('reuses a version’s record by generation, apart from $LATEST’s', async () => {
    const { processor, versionReads, invoker } = setup();
    for (const qualifier of ['1', '1', '$LATEST', '1']) {
      const generation = qualifier === '1' ? 5 : 9;
      await processor(fakeJob(jobData({ qualifier, generation })));
    }
    assert.deepEqual(versionReads, ['demo:1']);
    assert.deepEqual(
      invoker.seen.map((r) => r.version),
      ['1', '1', '$LATEST', '1'],
    );
  });

  it('rejects a version that no longer exists, naming the ARN as invoked', async () => {
    const { processor, published, invoker } = setup();
    await processor(fakeJob(jobData({ qualifier: '3', invokedArn: `${ARN}:live`, replyTo: 'gw' })));
    const reply = decodeReply(published[0] ?? Buffer.alloc(4));
    assert.deepEqual(
      [reply.header.outcome, reply.header.error, reply.header.executedVersion],
      [
        'rejected',
        { code: ERRORS.FUNCTION_NOT_FOUND.code, message: `Function not found: ${ARN}:live` },
        '3',
      ],
    );
    assert.equal(invoker.seen.length, 0);
  });

  it('resolves an async job’s alias when the attempt runs (weights included)', async () => {
    const { deps, invoker } = setup();
    const data = jobData({ qualifier: 'live', invokedArn: `${ARN}:live` });
    const execution = await execute(deps, data, 'async');
    assert.deepEqual([execution.kind, execution.executedVersion], ['ran', '2']);
    assert.deepEqual(
      [invoker.seen[0]?.record.environment.RUNS, invoker.seen[0]?.invokedFunctionArn],
      ['2', `${ARN}:live`],
    );
    const plain = await execute(deps, jobData({ qualifier: 'stable' }), 'async');
    assert.equal(plain.executedVersion, '1');
  });

  const missing: Array<[string, string, string]> = [
    ['an alias that was deleted', 'gone', `${ARN}:gone`],
    ['an alias whose version was deleted', 'broken', `${ARN}:broken`],
  ];
  for (const [label, qualifier, arn] of missing) {
    it(`rejects ${label} for good, naming the alias`, async () => {
      const { deps } = setup();
      const execution = await execute(deps, jobData({ qualifier, invokedArn: arn }), 'async');
      assert.equal(execution.kind, 'rejected');
      if (execution.kind !== 'rejected') return;
      assert.deepEqual(execution.rejection, {
        code: ERRORS.FUNCTION_NOT_FOUND.code,
        message: `Function not found: ${arn}`,
        retryable: false,
      });
    });
  }

  it('treats a job without a qualifier as $LATEST', async () => {
    const { deps, invoker } = setup();
    const execution = await execute(deps, jobData({ qualifier: '' }), 'async');
    assert.deepEqual([execution.kind, execution.executedVersion], ['ran', '$LATEST']);
    assert.equal(invoker.seen[0]?.record.environment.RUNS, '$LATEST');
  });
});
