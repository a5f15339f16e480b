import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  createSilentLogger,
  type InvokeJobData,
  type ScheduleRecord,
  type ScheduleState,
} from '@lambdock/core';
import { createSchedulerLoop } from '../src/fire/scheduler-loop.js';
import { createMetrics } from '../src/metrics.js';

const T0 = Date.UTC(2026, 10, 23, 12, 0, 0);
const MIN = 60_000;
const ARN = 'arn:aws:lambda:us-east-1:111111111111:function:f';

function rule(name: string, qualifier?: string): ScheduleRecord {
  return {
    name,
    expression: 'rate(1 minute)',
    timeZone: 'UTC',
    functionName: 'f',
    ...(qualifier === undefined ? {} : { qualifier }),
    state: 'ENABLED',
    createdAtMs: T0,
    managedBy: 'api',
  };
}

async function firedJobs(rules: ScheduleRecord[]): Promise<InvokeJobData[]> {
  const jobs: InvokeJobData[] = [];
  const states = new Map<string, ScheduleState>();
  const loop = createSchedulerLoop({
    lock: { hold: async () => true, release: async () => undefined },
    rules: { list: async () => rules },
    states: {
      all: async () => states,
      advance: async (name, state) => (states.set(name, state), true),
    },
    enqueue: async (job) => void jobs.push(job),
    metrics: createMetrics(),
    logger: createSilentLogger(),
    now: () => T0 + MIN + 1000,
    settings: {
      region: 'us-east-1',
      accountId: '111111111111',
      pollMs: 1000,
      catchUpMs: 5 * MIN,
      maxPerPass: 10,
    },
  });
  await loop.pass();
  return jobs.sort((a, b) => a.invokedArn.localeCompare(b.invokedArn));
}

describe('scheduler loop qualifiers', () => {
  it('queues a tick with the qualifier as configured, for the worker to resolve', async () => {
    const jobs = await firedJobs([rule('plain'), rule('to-alias', 'live'), rule('to-v', '3')]);
    assert.deepEqual(
      jobs.map((j) => ({ q: j.qualifier, arn: j.invokedArn, fn: j.functionName })),
      [
        { q: '$LATEST', arn: ARN, fn: 'f' },
        { q: '3', arn: `${ARN}:3`, fn: 'f' },
        { q: 'live', arn: `${ARN}:live`, fn: 'f' },
      ],
    );
  });
});
