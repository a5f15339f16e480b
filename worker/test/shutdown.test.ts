import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import type { Redis } from 'ioredis';
import type { Heartbeat } from '../src/fleet/heartbeat.js';
import type { EnvironmentPool } from '../src/invoke/environment-pool.js';
import type { QueueWorkers } from '../src/jobs/queue-workers.js';
import { createShutdown } from '../src/shutdown.js';

function harness(drainMs: number, drainTimeoutMs: number) {
  const steps: string[] = [];
  const server = createServer();
  server.listen(0, '127.0.0.1');
  const queues = {
    all: [],
    drain: () =>
      new Promise<void>((resolve) => setTimeout(() => (steps.push('drained'), resolve()), drainMs)),
    close: async (force: boolean) => void steps.push(`close force=${force}`),
  } as unknown as QueueWorkers;
  const shutdown = createShutdown({
    logger: createSilentLogger(),
    drainTimeoutMs,
    begin: () => steps.push('not ready'),
    queues,
    pool: {
      shutdown: async () => void steps.push('environments killed'),
    } as unknown as EnvironmentPool,
    background: new Set(),
    heartbeat: { leave: async () => void steps.push('left registry') } as unknown as Heartbeat,
    server,
    redis: { quit: async () => void steps.push('redis closed') } as unknown as Redis,
    exit: (code) => steps.push(`exit ${code}`),
  });
  return { steps, shutdown };
}

describe('graceful shutdown', () => {
  it('drains, then closes in reverse order', async () => {
    const { steps, shutdown } = harness(5, 1000);
    await shutdown('SIGTERM');
    assert.deepEqual(steps, [
      'not ready',
      'drained',
      'close force=false',
      'environments killed',
      'left registry',
      'redis closed',
      'exit 0',
    ]);
  });

  it('abandons running jobs to stall recovery when the drain times out', async () => {
    const { steps, shutdown } = harness(500, 20);
    await shutdown('SIGTERM');
    assert.deepEqual(steps.slice(0, 3), ['not ready', 'close force=true', 'environments killed']);
  });

  it('runs once', async () => {
    const { steps, shutdown } = harness(1, 100);
    await Promise.all([shutdown('SIGTERM'), shutdown('SIGINT')]);
    assert.equal(steps.filter((s) => s === 'exit 0').length, 1);
  });
});
