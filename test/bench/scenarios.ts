/**
 * @module
 * The lambdock side of the benchmark: warm sync latency, sync throughput, cold starts and
 * the async accept rate, each bounded in count and time and aimed at 127.0.0.1 only.
 */
import { spawnSync } from 'node:child_process';
import autocannon from 'autocannon';
import {
  CreateFunctionCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { createZipFunction, invoke, ROLE, waitActive, waitUpdated } from '../helpers/lambda.js';
import { latencyLoop } from './http-loop.js';
import { elapsedMs, summarize, type Summary, type Warmup } from './stats.js';

export function invokeUrl(endpoint: string, name: string): string {
  return `${endpoint}/2015-03-31/functions/${name}/invocations`;
}

export async function warmSyncLatency(
  endpoint: string,
  name: string,
  samples: number,
  warmup: Warmup,
): Promise<Summary> {
  return summarize(
    await latencyLoop({
      url: invokeUrl(endpoint, name),
      method: 'POST',
      body: '{}',
      warmup,
      samples,
      maxDurationMs: warmup.ms + 120_000,
    }),
  );
}

export interface Throughput {
  connections: number;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

export async function throughput(
  url: string,
  connections: number,
  durationS: number,
  headers: Record<string, string> = {},
): Promise<Throughput> {
  const result = await autocannon({
    url,
    method: 'POST',
    body: '{}',
    headers: { 'content-type': 'application/json', ...headers },
    connections,
    duration: durationS,
  });
  return {
    connections,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
  };
}

/**
 * Time to first response of a brand-new environment, forced by a configuration change.
 * `beside` runs before each sample (untimed): a floor measured side by side, so both see the
 * same Docker engine (its start time drifts by a hundred milliseconds over a run).
 */
export async function coldStarts(
  client: LambdaClient,
  name: string,
  runs: number,
  beside: () => Promise<void> = () => Promise.resolve(),
): Promise<Summary> {
  const results: number[] = [];
  for (let i = 0; i < runs; i++) {
    await beside();
    await client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: name, Description: `cold ${i}` }),
    );
    await waitUpdated(client, name);
    const start = process.hrtime.bigint();
    const { output } = await invoke(client, name, {});
    if (output.FunctionError) throw new Error(`cold start run ${i} failed`);
    results.push(elapsedMs(start));
  }
  return summarize(results);
}

export async function createNoop(client: LambdaClient, name: string): Promise<void> {
  await createZipFunction(client, {
    name,
    fixture: 'node-noop',
    runtime: 'nodejs20.x',
    handler: 'index.handler',
  });
}

export async function createImageFunction(
  client: LambdaClient,
  name: string,
  image: string,
): Promise<void> {
  await client.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Role: ROLE,
      PackageType: 'Image',
      Code: { ImageUri: image },
    }),
  );
  await waitActive(client, name);
}

/** The Node runtime's own start, outside any container: part of the cold-start floor. */
export function nodeStartMs(runs: number): Summary {
  const results: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    spawnSync(process.execPath, ['-e', '0']);
    results.push(elapsedMs(start));
  }
  return summarize(results);
}
