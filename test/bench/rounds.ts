/**
 * @module
 * T1 and T2 measured in rounds that alternate lambdock with its no-container ceiling on one
 * stack: a round runs lambdock at c=1 and at c=64, swaps the worker for direct-worker.ts (the
 * worker's own sync processor answering every event at once), runs that at c=1 and at c=64, and
 * swaps back, the worker's environments starting again in a warm-up at c=64. Each c=64 run
 * follows a warm-up at c=64 of its own. This host's speed drifts by half within minutes, so a
 * ratio between the two holds only within a round.
 */
import type Docker from 'dockerode';
import type { Stack } from '../helpers/stack.js';
import { cpuPerInvocation, cpuSnapshot, type CpuProcesses } from './cpu.js';
import type { ThroughputRun } from './report.js';
import { invokeUrl, throughput, warmSyncLatency } from './scenarios.js';
import type { Summary, Warmup } from './stats.js';
import { meanMs, workerWarmTotals } from './worker-metrics.js';

/** The no-container ceiling's worker, from the repository root. */
const DIRECT_WORKER = 'test/dist/bench/direct-worker.js';

export interface RoundSettings {
  samples: number;
  /** Before each c=1 run: requests and time at c=1 that are not sampled. */
  latencyWarmup: Warmup;
  durationS: number;
  /** Seconds at c=64 before each c=64 run, and after the worker starts again. */
  warmupS: number;
  /** WORKER_MAX_ENVIRONMENTS of the worker, and so of the ceiling's concurrency. */
  environments: string;
}

export interface RoundTarget {
  stack: Stack;
  docker: Docker;
  redisPort: number;
  /** The no-op function every run invokes. */
  name: string;
}

export interface Round {
  warm: Summary;
  /** The mean Runtime API hop as the worker saw it during the c=1 run. */
  hopMs: number;
  c64: ThroughputRun;
  ceilingWarm: Summary;
  ceilingC64: ThroughputRun;
}

/** Containers of this stack's worker, by the id the stack gives it (`<prefix>-w`). */
export async function ownContainers(docker: Docker, prefix: string): Promise<string[]> {
  const rows = await docker.listContainers({
    filters: { label: [`lambdock.worker=${prefix}-w`] },
  });
  return rows.map((row) => row.Id);
}

/** One throughput run, with the CPU every component spent per invocation during it. */
export async function throughputRun(
  url: string,
  connections: number,
  durationS: number,
  processes: Omit<CpuProcesses, 'containerIds'>,
  containers: () => Promise<string[]>,
): Promise<ThroughputRun> {
  const before = cpuSnapshot({ ...processes, containerIds: await containers() });
  const t = await throughput(url, connections, durationS);
  const containerIds = await containers();
  const used = cpuPerInvocation(
    before,
    cpuSnapshot({ ...processes, containerIds }),
    t.requestsPerSecond * durationS,
  );
  return { t, used, environments: containerIds.length };
}

export async function round(target: RoundTarget, settings: RoundSettings): Promise<Round> {
  const { stack, docker, redisPort, name } = target;
  const url = invokeUrl(stack.endpoint, name);
  const processes = (worker: number | undefined) => ({
    gateway: stack.gateway.child.pid ?? 0,
    worker: worker ?? 0,
    redisPort,
  });

  const hopBefore = await workerWarmTotals(stack.workerPort);
  const warm = await warmSyncLatency(
    stack.endpoint,
    name,
    settings.samples,
    settings.latencyWarmup,
  );
  const hopMs = meanMs(hopBefore, await workerWarmTotals(stack.workerPort));
  // The c=1 run used one environment: the others are idle and slow to pick up again.
  await throughput(url, 64, settings.warmupS);
  const c64 = await throughputRun(
    url,
    64,
    settings.durationS,
    processes(stack.worker.child.pid),
    () => ownContainers(docker, stack.prefix),
  );

  await stack.killWorker('SIGTERM');
  const direct = await stack.startExtraWorker(
    'direct',
    { WORKER_MAX_ENVIRONMENTS: settings.environments },
    DIRECT_WORKER,
  );
  const ceilingWarm = await warmSyncLatency(
    stack.endpoint,
    name,
    settings.samples,
    settings.latencyWarmup,
  );
  await throughput(url, 64, settings.warmupS);
  const ceilingC64 = await throughputRun(
    url,
    64,
    settings.durationS,
    processes(direct.child.pid),
    () => Promise.resolve([]),
  );
  await direct.kill('SIGTERM');

  await stack.startWorker();
  await throughput(url, 64, settings.warmupS);
  return { warm, hopMs, c64, ceilingWarm, ceilingC64 };
}
