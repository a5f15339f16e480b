/**
 * @module
 * Provisioned concurrency in end-to-end suites: put a config and wait until it is READY, count a
 * function's running containers per worker, and sum a worker counter over several workers.
 */
import {
  GetProvisionedConcurrencyConfigCommand,
  PutProvisionedConcurrencyConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import type Docker from 'dockerode';
import { functionContainers } from './docker.js';
import { waitFor } from './wait.js';

const READY_WAIT_MS = 60_000;
export const WORKER_LABEL = 'lambdock.worker';

export async function putProvisionedReady(
  client: LambdaClient,
  name: string,
  qualifier: string,
  count: number,
): Promise<void> {
  await client.send(
    new PutProvisionedConcurrencyConfigCommand({
      FunctionName: name,
      Qualifier: qualifier,
      ProvisionedConcurrentExecutions: count,
    }),
  );
  await waitFor(
    `${name}:${qualifier} READY`,
    READY_WAIT_MS,
    async () => {
      const got = await client.send(
        new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }),
      );
      return got.Status === 'READY' ? true : undefined;
    },
    250,
  );
}

/** Running containers of the function per worker id. */
export async function containersPerWorker(
  docker: Docker,
  name: string,
): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const c of await functionContainers(docker, name)) {
    if (c.State !== 'running') continue;
    const worker = c.Labels[WORKER_LABEL] ?? '?';
    counts[worker] = (counts[worker] ?? 0) + 1;
  }
  return counts;
}

/** The sum of every series of `metric` whose labels match all of `labels`, in one worker's text. */
export function metricSum(text: string, metric: string, labels: Record<string, string>): number {
  const wanted = Object.entries(labels).map(([k, v]) => `${k}="${v}"`);
  return text
    .split('\n')
    .filter((l) => l.startsWith(`${metric}{`) && wanted.every((w) => l.includes(w)))
    .reduce((sum, l) => sum + Number(l.split(' ').at(-1)), 0);
}

/** Each worker's Prometheus text. */
export async function scrape(metricsUrls: readonly string[]): Promise<string[]> {
  return Promise.all(metricsUrls.map(async (u) => (await fetch(u)).text()));
}
