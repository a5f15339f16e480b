/**
 * @module
 * The benchmark's "no container" ceiling (performance reference, T2): the worker's own sync
 * processor, BullMQ consumers, leases, reply channel, reply copies and log store, with an
 * invoker that answers every event at once instead of handing it to a container. Run as a
 * process of its own, like the worker, on the same environment variables; it serves only
 * `/readyz` and takes only sync jobs (the ceiling is measured on a function already Active).
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { createLogger } from '@lambdock/core';
import { loadConfig } from '@lambdock/worker/config';
import type { Invoker, InvokeResult } from '@lambdock/worker/invoker';
import { createMetrics } from '@lambdock/worker/metrics';
import { startQueueWorkers } from '@lambdock/worker/queue-workers';
import { connectStores } from '@lambdock/worker/stores';
import { createSyncJobs, queueWorkerSettings } from '@lambdock/worker/sync-jobs';

const RESULT = Buffer.from('{}');

/** What a warm no-op run reports, START to REPORT, so the log store does its usual work. */
function logOf(requestId: string, version: string, memoryMb: number): string {
  return (
    `START RequestId: ${requestId} Version: ${version}\n` +
    `END RequestId: ${requestId}\n` +
    `REPORT RequestId: ${requestId}\tDuration: 0.10 ms\tBilled Duration: 1 ms\t` +
    `Memory Size: ${memoryMb} MB\tMax Memory Used: ${memoryMb} MB\t\n`
  );
}

const answerAtOnce: Invoker = {
  invoke: (request): Promise<InvokeResult> =>
    Promise.resolve({
      outcome: 'success',
      payload: RESULT,
      contentType: undefined,
      coldStart: false,
      durationMs: 0.1,
      log: Promise.resolve(logOf(request.requestId, request.version, request.record.memoryMb)),
    }),
};

const refuse = (): Promise<never> =>
  Promise.reject(new Error('the no-container ceiling takes sync jobs only'));

async function main(): Promise<void> {
  const config = loadConfig(process.env, { hostname: hostname(), pid: process.pid });
  const logger = createLogger({ service: 'direct-worker', level: config.logLevel });
  const metrics = createMetrics();
  const stores = connectStores(config, logger, metrics);
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  const queues = startQueueWorkers({
    connection: stores.redis,
    settings: queueWorkerSettings(config),
    processors: {
      sync: createSyncJobs(config, stores, answerAtOnce, { metrics, logger, track }),
      async: refuse,
      prepare: refuse,
    },
    metrics,
    logger,
  });
  const server = createServer((_req, res) => res.end('ok')).listen(config.port, config.host);
  await once(server, 'listening');
  process.once('SIGTERM', () => {
    void (async () => {
      server.close();
      await queues.close(false);
      await Promise.allSettled(background);
      await stores.logStore.flush();
      stores.redis.disconnect();
      process.exit(0);
    })();
  });
}

await main();
