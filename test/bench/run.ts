/**
 * `npm run bench`: measures the floors, lambdock, and lambdock without its containers (the
 * no-container ceiling) side by side on this machine and prints every figure as a ratio against
 * its floor or ceiling (targets: docs/PERFORMANCE.md). Latency and
 * throughput are measured BENCH_REPEATS times each; the median run is printed, with the spread
 * of the runs beside it.
 */
import type Docker from 'dockerode';
import { requireDocker, requireImages, RUNTIME_IMAGES } from '../helpers/docker.js';
import { startTestRedis } from '../helpers/redis.js';
import { startStack, uniqueName } from '../helpers/stack.js';
import { cpuPerInvocation, cpuSnapshot, type CpuMs, type CpuProcesses } from './cpu.js';
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
  type Throughput,
} from './scenarios.js';
import { medianRun, spreadOf, summarize, type Summary } from './stats.js';
import { meanMs, workerWarmTotals } from './worker-metrics.js';

const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 2000);
const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 60);
const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);
/**
 * Async accept runs are shorter: every accepted event stays stored (the worker is stopped), and
 * a minute at 8,000 a second is half a million jobs in Redis per run.
 */
const ACCEPT_DURATION_S = Number(process.env.BENCH_ACCEPT_DURATION_S ?? 10);
const COLD_RUNS = Number(process.env.BENCH_COLD_RUNS ?? 7);
/** T2 is defined on four warm containers; more only adds context switches on two cores. */
const ENVIRONMENTS = process.env.BENCH_ENVIRONMENTS ?? '4';
/** Seconds at c=64 before the throughput runs, so every environment is started and warm. */
const WARMUP_S = 3;
/** The no-container ceiling's worker (direct-worker.ts), from the repository root. */
const DIRECT_WORKER = 'test/dist/bench/direct-worker.js';

const fmt = (n: number): string => n.toFixed(2);
const line = (label: string, value: string, ratio?: string): void =>
  console.log(`${label.padEnd(44)} ${value.padEnd(36)} ${ratio ?? ''}`);
const lat = (s: Summary): string => `p50 ${fmt(s.p50)} ms  p99 ${fmt(s.p99)} ms`;

interface Repeated<T> {
  median: T;
  runs: T[];
}

/** `run` REPEATS times in a row; the median run by `key`. */
async function repeat<T>(run: () => Promise<T>, key: (r: T) => number): Promise<Repeated<T>> {
  const runs: T[] = [];
  for (let i = 0; i < REPEATS; i++) runs.push(await run());
  return { median: medianRun(runs, key), runs };
}

/** The median run's latency, and the spread of every run's p50. */
const latRuns = (r: Repeated<Summary>): string =>
  `${lat(r.median)}  (runs: p50 ${spreadOf(
    r.runs.map((s) => s.p50),
    2,
  )})`;
const cpu = (c: CpuMs): string =>
  `gateway ${fmt(c.gateway)}  worker ${fmt(c.worker)}  redis ${fmt(c.redis)}  functions ${fmt(c.functions)}`;

/** Containers of this stack's worker, by the id the stack gives it (`<prefix>-w`). */
async function ownContainers(docker: Docker, prefix: string): Promise<string[]> {
  const rows = await docker.listContainers({
    filters: { label: [`lambdock.worker=${prefix}-w`] },
  });
  return rows.map((row) => row.Id);
}

interface ThroughputRun {
  t: Throughput;
  used: CpuMs;
  environments: number;
}

/** REPEATS runs at `connections`, each with the CPU every component spent per invocation. */
function throughputRuns(
  url: string,
  connections: number,
  processes: Omit<CpuProcesses, 'containerIds'>,
  containers: () => Promise<string[]>,
): Promise<Repeated<ThroughputRun>> {
  return repeat(
    async () => {
      const before = cpuSnapshot({ ...processes, containerIds: await containers() });
      const t = await throughput(url, connections, DURATION_S);
      const containerIds = await containers();
      const used = cpuPerInvocation(
        before,
        cpuSnapshot({ ...processes, containerIds }),
        t.requestsPerSecond * DURATION_S,
      );
      return { t, used, environments: containerIds.length };
    },
    (r) => r.t.requestsPerSecond,
  );
}

function printThroughput(label: string, runs: Repeated<ThroughputRun>): void {
  const { t, used, environments } = runs.median;
  const failed = runs.runs.reduce((sum, r) => sum + r.t.non2xx + r.t.errors, 0);
  line(
    label,
    `${t.requestsPerSecond.toFixed(0)} req/s  p99 ${t.p99} ms`,
    `runs ${spreadOf(
      runs.runs.map((r) => r.t.requestsPerSecond),
      0,
    )} req/s; non-2xx + errors in all runs: ${failed}`,
  );
  line('  CPU ms per invoke', cpu(used), `${environments} environments (median run)`);
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
    const httpRuns = await repeat(
      () => httpRoundTrip(SAMPLES),
      (s) => s.p50,
    );
    const http = httpRuns.median;
    line('raw HTTP round trip (c=1)', latRuns(httpRuns));
    const hopRuns = await repeat(
      () => bullmqReplyHop(redis.url, SAMPLES),
      (s) => s.p50,
    );
    const hop = hopRuns.median;
    line('BullMQ add -> worker -> pub/sub reply (c=1)', latRuns(hopRuns));
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
    const hopFloorRuns = await repeat(
      () => runtimeApiHopFloor(docker, RUNTIME_IMAGES.node, network, SAMPLES),
      (s) => s.p50,
    );
    const hopFloor = hopFloorRuns.median;
    line(
      'Runtime API hop (node:http, functions net)',
      `${latRuns(hopFloorRuns)}  mean ${fmt(hopFloor.mean)} ms`,
    );

    console.log('\n== lambdock');
    const client = stack.client();
    const noop = uniqueName('bench-noop');
    await createNoop(client, noop);
    const warmRuns = await repeat(
      async () => {
        const hopBefore = await workerWarmTotals(stack.workerPort);
        const summary = await warmSyncLatency(stack.endpoint, noop, SAMPLES);
        return { summary, hopMs: meanMs(hopBefore, await workerWarmTotals(stack.workerPort)) };
      },
      (r) => r.summary.p50,
    );
    const { summary: warm, hopMs } = warmRuns.median;
    const floorSum = http.p50 + hop.p50 + hopFloor.p50;
    line(
      'warm sync invoke, no-op (c=1)',
      latRuns({ median: warm, runs: warmRuns.runs.map((r) => r.summary) }),
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
    let c64 = 0;
    for (const connections of [32, 64]) {
      const runs = await throughputRuns(
        invokeUrl(stack.endpoint, noop),
        connections,
        processes,
        () => ownContainers(docker, stack.prefix),
      );
      printThroughput(`sync throughput, no-op (c=${connections})`, runs);
      if (connections === 64) c64 = runs.median.t.requestsPerSecond;
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

    // The no-container ceiling: the same gateway, Redis and function, and the worker's own sync
    // processor answering every event at once (direct-worker.ts) instead of the worker.
    await stack.killWorker('SIGTERM');
    console.log('\n== no-container ceiling (gateway + BullMQ + the worker answering directly)');
    const direct = await stack.startExtraWorker(
      'direct',
      { WORKER_MAX_ENVIRONMENTS: ENVIRONMENTS },
      DIRECT_WORKER,
    );
    const directWarm = await repeat(
      () => warmSyncLatency(stack.endpoint, noop, SAMPLES),
      (s) => s.p50,
    );
    line(
      'warm sync invoke, no container (c=1)',
      latRuns(directWarm),
      `lambdock's p50 is ${fmt(warm.p50 - directWarm.median.p50)} ms more with its container`,
    );
    await throughput(invokeUrl(stack.endpoint, noop), 64, WARMUP_S);
    const directRuns = await throughputRuns(
      invokeUrl(stack.endpoint, noop),
      64,
      { ...processes, worker: direct.child.pid ?? 0 },
      () => Promise.resolve([]),
    );
    printThroughput('sync throughput, no container (c=64)', directRuns);
    line(
      '  lambdock at c=64 against this ceiling',
      `${fmt(c64 / directRuns.median.t.requestsPerSecond)}x`,
      '(T2 reference: >= 0.7x)',
    );
    // Accept rate is the gateway's; no worker runs, so queued events stay stored, not run.
    await direct.kill('SIGTERM');
    const acceptRuns = await repeat(
      async () => {
        const dry = await throughput(invokeUrl(stack.endpoint, noop), 100, ACCEPT_DURATION_S, {
          'x-amz-invocation-type': 'DryRun',
        });
        const accept = await throughput(invokeUrl(stack.endpoint, noop), 100, ACCEPT_DURATION_S, {
          'x-amz-invocation-type': 'Event',
        });
        return { dry, accept, ratio: accept.requestsPerSecond / dry.requestsPerSecond };
      },
      (r) => r.ratio,
    );
    const { dry, accept, ratio } = acceptRuns.median;
    line(
      'async accept (202 + enqueue, c=100)',
      `${accept.requestsPerSecond.toFixed(0)} req/s  p99 ${accept.p99} ms`,
      `= ${fmt(ratio)}x the same route without enqueue (DryRun ${dry.requestsPerSecond.toFixed(0)} req/s); ` +
        `runs ${spreadOf(
          acceptRuns.runs.map((r) => r.ratio),
          2,
        )}x`,
    );
  } finally {
    await stack.stop();
    await redis.stop();
  }
}

await main();
