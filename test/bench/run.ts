/**
 * `npm run bench`: measures the floors, lambdock, and lambdock without its containers (the
 * no-container ceiling) side by side on this machine and prints every figure as a ratio against
 * its floor or ceiling (targets: docs/PERFORMANCE.md). Latency and
 * throughput are measured BENCH_REPEATS times each; the median run is printed, with the spread
 * of the runs beside it.
 */
import { requireDocker, requireImages, RUNTIME_IMAGES } from '../helpers/docker.js';
import { startTestRedis } from '../helpers/redis.js';
import { startStack, uniqueName } from '../helpers/stack.js';
import {
  bullmqReplyHop,
  dockerCreateStart,
  dockerCreateStartFunctionSpec,
  httpRoundTrip,
} from './floors.js';
import { runtimeApiHopFloor } from './hop-floor.js';
import { fmt, lat, latRuns, line, printThroughput, type ThroughputRun } from './report.js';
import { ownContainers, round, throughputRun, type Round } from './rounds.js';
import {
  coldStarts,
  createImageFunction,
  createNoop,
  invokeUrl,
  nodeStartMs,
  throughput,
} from './scenarios.js';
import {
  medianRun,
  repeatRuns,
  spreadOf,
  summarize,
  type Repeated,
  type Summary,
} from './stats.js';

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
/**
 * Seconds at c=64 before every throughput run, so every environment is started and every
 * process on the way runs its optimised code: the three environments a c=1 run left idle take
 * seconds to come back to speed (docs/PERFORMANCE.md).
 */
const WARMUP_S = Number(process.env.BENCH_THROUGHPUT_WARMUP_S ?? 5);
/** Every c=1 loop (floors, lambdock, the ceiling) first runs this long, unsampled. */
const LATENCY_WARMUP = {
  requests: 200,
  ms: Number(process.env.BENCH_LATENCY_WARMUP_S ?? 10) * 1000,
};

/** `run` REPEATS times in a row; the median run by `key`. */
const repeat = <T>(run: () => Promise<T>, key: (r: T) => number): Promise<Repeated<T>> =>
  repeatRuns(REPEATS, run, key);

const median = (values: readonly number[]): number => medianRun(values, (v) => v);

/** The rounds' figure `pick`, as runs reported by their median. */
function across<T>(
  rounds: readonly Round[],
  pick: (r: Round) => T,
  key: (t: T) => number,
): Repeated<T> {
  const runs = rounds.map(pick);
  return { median: medianRun(runs, key), runs };
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
    // T1's floors have their far end in a process of its own, as lambdock's do (floors.ts);
    // the one-process figures are printed beside them, and were T1's floors before run AK.
    const httpRuns = await repeat(
      () => httpRoundTrip(SAMPLES, LATENCY_WARMUP, 'two processes'),
      (s) => s.p50,
    );
    const http = httpRuns.median;
    line('raw HTTP round trip, server in its own process (c=1)', latRuns(httpRuns));
    const httpHere = await repeat(
      () => httpRoundTrip(SAMPLES, LATENCY_WARMUP, 'one process'),
      (s) => s.p50,
    );
    line('raw HTTP round trip, one process (c=1)', latRuns(httpHere));
    const hopRuns = await repeat(
      () => bullmqReplyHop(redis.url, SAMPLES, LATENCY_WARMUP, 'two processes'),
      (s) => s.p50,
    );
    const hop = hopRuns.median;
    line('BullMQ add -> worker process -> pub/sub reply (c=1)', latRuns(hopRuns));
    const hopHere = await repeat(
      () => bullmqReplyHop(redis.url, SAMPLES, LATENCY_WARMUP, 'one process'),
      (s) => s.p50,
    );
    line('BullMQ add -> worker -> pub/sub reply, one process (c=1)', latRuns(hopHere));
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
      () => runtimeApiHopFloor(docker, RUNTIME_IMAGES.node, network, SAMPLES, LATENCY_WARMUP),
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
    const url = invokeUrl(stack.endpoint, noop);
    // Throughput is measured warm: cold starts inside the window would measure T6, not T2.
    await throughput(url, 64, WARMUP_S);
    const c32 = await repeat(
      () =>
        throughputRun(
          url,
          32,
          DURATION_S,
          {
            gateway: stack.gateway.child.pid ?? 0,
            worker: stack.worker.child.pid ?? 0,
            redisPort: redis.port,
          },
          () => ownContainers(docker, stack.prefix),
        ),
      (r) => r.t.requestsPerSecond,
    );
    printThroughput('sync throughput, no-op (c=32)', c32);

    // T1 and T2, each run alternated with the no-container ceiling (rounds.ts).
    const rounds: Round[] = [];
    const target = { stack, docker, redisPort: redis.port, name: noop };
    const settings = {
      samples: SAMPLES,
      latencyWarmup: LATENCY_WARMUP,
      durationS: DURATION_S,
      warmupS: WARMUP_S,
      environments: ENVIRONMENTS,
    };
    for (let i = 0; i < REPEATS; i++) rounds.push(await round(target, settings));
    const rps = (r: ThroughputRun): number => r.t.requestsPerSecond;
    const warmRuns = across(
      rounds,
      (r) => ({ summary: r.warm, hopMs: r.hopMs }),
      (r) => r.summary.p50,
    );
    const { summary: warm, hopMs } = warmRuns.median;
    const floorSum = http.p50 + hop.p50 + hopFloor.p50;
    const oneProcessSum = httpHere.median.p50 + hopHere.median.p50 + hopFloor.p50;
    line(
      'warm sync invoke, no-op (c=1)',
      latRuns({ median: warm, runs: rounds.map((r) => r.warm) }),
      `p50 = ${fmt(warm.p50 / floorSum)}x (HTTP + queue hop + Runtime API hop floors); ` +
        `${fmt(warm.p50 / oneProcessSum)}x with the one-process HTTP and queue-hop floors`,
    );
    line(
      '  of which Runtime API hop (worker view)',
      `mean ${fmt(hopMs)} ms`,
      `= ${fmt(hopMs / hopFloor.mean)}x the Runtime API hop floor (mean)`,
    );
    printThroughput(
      'sync throughput, no-op (c=64)',
      across(rounds, (r) => r.c64, rps),
    );

    console.log('\n== no-container ceiling (gateway + BullMQ + the worker answering at once)');
    const ceilingWarm = across(
      rounds,
      (r) => r.ceilingWarm,
      (s) => s.p50,
    );
    const latencyRatios = rounds.map((r) => r.warm.p50 / r.ceilingWarm.p50);
    line(
      'warm sync invoke, no container (c=1)',
      latRuns(ceilingWarm),
      `lambdock's p50 / this, per round: median ${fmt(median(latencyRatios))}x (${spreadOf(latencyRatios, 2)}); ` +
        `this / T1's floors: ${fmt(ceilingWarm.median.p50 / floorSum)}x`,
    );
    printThroughput(
      'sync throughput, no container (c=64)',
      across(rounds, (r) => r.ceilingC64, rps),
    );
    const ratios = rounds.map((r) => rps(r.c64) / rps(r.ceilingC64));
    line(
      '  lambdock at c=64 / this, per round',
      `median ${fmt(median(ratios))}x`,
      `(${spreadOf(ratios, 2)}; T2 reference: >= 0.7x)`,
    );

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
