/**
 * `npm run bench`: measures the floors and lambdock side by side on this machine and prints
 * every figure as a ratio against its floor (targets: docs/PERFORMANCE.md).
 */
import type Docker from 'dockerode';
import { requireDocker, requireImages, RUNTIME_IMAGES } from '../helpers/docker.js';
import { startTestRedis } from '../helpers/redis.js';
import { startStack, uniqueName } from '../helpers/stack.js';
import { cpuPerInvocation, cpuSnapshot, type CpuMs } from './cpu.js';
import {
  bullmqReplyHop,
  dockerCreateStart,
  dockerCreateStartFunctionSpec,
  httpRoundTrip,
} from './floors.js';
import { runtimeApiHopFloor } from './hop-floor.js';
import {
  coldStarts,
  createImageFunction,
  createNoop,
  invokeUrl,
  nodeStartMs,
  throughput,
  warmSyncLatency,
} from './scenarios.js';
import { summarize, type Summary } from './stats.js';
import { meanMs, workerWarmTotals } from './worker-metrics.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);
/** T2 is defined on four warm containers; more only adds context switches on two cores. */
const ENVIRONMENTS = process.env.BENCH_ENVIRONMENTS ?? '4';
/** Seconds at c=64 before the throughput runs, so every environment is started and warm. */
const WARMUP_S = 3;

const fmt = (n: number): string => n.toFixed(2);
const line = (label: string, value: string, ratio?: string): void =>
  console.log(`${label.padEnd(44)} ${value.padEnd(36)} ${ratio ?? ''}`);
const lat = (s: Summary): string => `p50 ${fmt(s.p50)} ms  p99 ${fmt(s.p99)} ms`;
const cpu = (c: CpuMs): string =>
  `gateway ${fmt(c.gateway)}  worker ${fmt(c.worker)}  redis ${fmt(c.redis)}  functions ${fmt(c.functions)}`;

/** Containers of this stack's worker, by the id the stack gives it (`<prefix>-w`). */
async function ownContainers(docker: Docker, prefix: string): Promise<string[]> {
  const rows = await docker.listContainers({
    filters: { label: [`lambdock.worker=${prefix}-w`] },
  });
  return rows.map((row) => row.Id);
}

async function main(): Promise<void> {
  const docker = await requireDocker();
  await requireImages(docker, [RUNTIME_IMAGES.node, RUNTIME_IMAGES.ric]);
  const redis = await startTestRedis();
  const stack = await startStack({
    redisUrl: redis.url,
    env: { LOG_LEVEL: 'error' },
    workerEnv: { WORKER_MAX_ENVIRONMENTS: ENVIRONMENTS },
  });
  try {
    console.log('\n== floors (measured now, same machine)');
    const http = await httpRoundTrip(SAMPLES);
    line('raw HTTP round trip (c=1)', lat(http));
    const hop = await bullmqReplyHop(redis.url, SAMPLES);
    line('BullMQ add -> worker -> pub/sub reply (c=1)', lat(hop));
    const network = 'lambdock-functions';
    const create = await dockerCreateStart(docker, RUNTIME_IMAGES.node, network, COLD_RUNS);
    line('Docker create+start (functions network)', lat(create));
    const createSpec = await dockerCreateStartFunctionSpec(
      docker,
      RUNTIME_IMAGES.node,
      network,
      COLD_RUNS,
    );
    line('Docker create+start (a function container)', lat(createSpec));
    const nodeStart = nodeStartMs(COLD_RUNS);
    line('Node runtime start outside a container', lat(nodeStart));
    const hopFloor = await runtimeApiHopFloor(docker, RUNTIME_IMAGES.node, network, SAMPLES);
    line(
      'Runtime API hop (node:http, functions net)',
      `${lat(hopFloor)}  mean ${fmt(hopFloor.mean)} ms`,
    );

    console.log('\n== lambdock');
    const client = stack.client();
    const noop = uniqueName('bench-noop');
    await createNoop(client, noop);
    const hopBefore = await workerWarmTotals(stack.workerPort);
    const warm = await warmSyncLatency(stack.endpoint, noop, SAMPLES);
    const hopMs = meanMs(hopBefore, await workerWarmTotals(stack.workerPort));
    const floorSum = http.p50 + hop.p50 + hopFloor.p50;
    line(
      'warm sync invoke, no-op (c=1)',
      lat(warm),
      `p50 = ${fmt(warm.p50 / floorSum)}x (HTTP + queue hop + Runtime API hop floors)`,
    );
    line(
      '  of which Runtime API hop (worker view)',
      `mean ${fmt(hopMs)} ms`,
      `= ${fmt(hopMs / hopFloor.mean)}x the Runtime API hop floor (mean)`,
    );
    const processes = {
      gateway: stack.gateway.child.pid ?? 0,
      worker: stack.worker.child.pid ?? 0,
      redisPort: redis.port,
    };
    // Throughput is measured warm: cold starts inside the window would measure T6, not T2.
    await throughput(invokeUrl(stack.endpoint, noop), 64, WARMUP_S);
    for (const connections of [32, 64]) {
      const before = cpuSnapshot({
        ...processes,
        containerIds: await ownContainers(docker, stack.prefix),
      });
      const t = await throughput(invokeUrl(stack.endpoint, noop), connections, DURATION_S);
      const containerIds = await ownContainers(docker, stack.prefix);
      const used = cpuPerInvocation(
        before,
        cpuSnapshot({ ...processes, containerIds }),
        t.requestsPerSecond * DURATION_S,
      );
      line(
        `sync throughput, no-op (c=${connections})`,
        `${t.requestsPerSecond.toFixed(0)} req/s  p99 ${t.p99} ms`,
        `non-2xx ${t.non2xx}, errors ${t.errors}`,
      );
      line('  CPU ms per invoke', cpu(used), `${containerIds.length} environments`);
    }
    // Each cold start is paired with a Docker create+start of the same container spec.
    const beside: number[] = [];
    const sampleFloor = async (): Promise<void> => {
      const one = await dockerCreateStartFunctionSpec(docker, RUNTIME_IMAGES.node, network, 1);
      beside.push(one.p50);
    };
    const coldZip = await coldStarts(client, noop, COLD_RUNS, sampleFloor);
    const coldRatios = (cold: Summary): string => {
      const specFloor = summarize(beside).p50 + nodeStart.p50;
      const bareFloor = create.p50 + nodeStart.p50;
      return (
        `p50 = ${fmt(cold.p50 / specFloor)}x (function container create+start alongside + ` +
        `runtime start); ${fmt(cold.p50 / bareFloor)}x against the bare floor above`
      );
    };
    line('cold start, zip (to first response)', lat(coldZip), coldRatios(coldZip));
    const image = uniqueName('bench-image');
    await createImageFunction(client, image, RUNTIME_IMAGES.ric);
    const coldImage = await coldStarts(client, image, COLD_RUNS, sampleFloor);
    line('cold start, image (to first response)', lat(coldImage), coldRatios(coldImage));

    line('  Docker create+start alongside (function container)', lat(summarize(beside)));

    // Accept rate is the gateway's; stop the worker so queued events stay stored, not run.
    await stack.killWorker('SIGTERM');
    const dry = await throughput(invokeUrl(stack.endpoint, noop), 100, DURATION_S, {
      'x-amz-invocation-type': 'DryRun',
    });
    const accept = await throughput(invokeUrl(stack.endpoint, noop), 100, DURATION_S, {
      'x-amz-invocation-type': 'Event',
    });
    line(
      'async accept (202 + enqueue, c=100)',
      `${accept.requestsPerSecond.toFixed(0)} req/s  p99 ${accept.p99} ms`,
      `= ${fmt(accept.requestsPerSecond / dry.requestsPerSecond)}x the same route without enqueue (DryRun ${dry.requestsPerSecond.toFixed(0)} req/s)`,
    );
  } finally {
    await stack.stop();
    await redis.stop();
  }
}

await main();
