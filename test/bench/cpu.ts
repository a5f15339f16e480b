/**
 * @module
 * CPU time spent per component during a measurement window (target T3): the gateway, the
 * worker and Redis from /proc, the function containers from their cgroups, and the load
 * generator (this process). CPU per invocation is the most robust figure on a shared 2-core
 * machine: it barely moves when another process steals wall-clock time. The whole machine's
 * busy time beside them shows how much of the cores the run used, and that nothing else did.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CpuProcesses {
  gateway: number;
  worker: number;
  /** Matched by command line: `redis-server 127.0.0.1:<port>`. */
  redisPort: number;
  /** Docker ids of the function containers to count. */
  containerIds: readonly string[];
}

export type CpuMs = Record<
  'gateway' | 'worker' | 'redis' | 'functions' | 'client' | 'machine',
  number
>;

/** Linux reports process times in clock ticks of 1/100 s (USER_HZ) on every common build. */
const MS_PER_TICK = 10;

function processMs(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
  } catch {
    return 0;
  }
}

function redisPid(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmd.startsWith('redis-server') && cmd.includes(`:${port}`)) return Number(entry);
    } catch {
      // The process ended while we looked.
    }
  }
  return undefined;
}

/** cgroup v1 (cgroupfs or systemd driver) in nanoseconds, or v2 `usage_usec`. */
function containerMs(id: string): number {
  const candidates: Array<[string, (text: string) => number]> = [
    [`/sys/fs/cgroup/cpuacct/docker/${id}/cpuacct.usage`, (t) => Number(t) / 1e6],
    [
      `/sys/fs/cgroup/cpuacct/system.slice/docker-${id}.scope/cpuacct.usage`,
      (t) => Number(t) / 1e6,
    ],
    [`/sys/fs/cgroup/docker/${id}/cpu.stat`, usageUsec],
    [`/sys/fs/cgroup/system.slice/docker-${id}.scope/cpu.stat`, usageUsec],
  ];
  for (const [path, parse] of candidates) {
    try {
      return parse(readFileSync(path, 'utf8'));
    } catch {
      // Not this layout.
    }
  }
  return 0;
}

/** Busy time of every CPU together: all but idle and iowait in /proc/stat's first line. */
function machineMs(): number {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n', 1)[0]?.split(/\s+/) ?? [];
    const ticks = fields.slice(1, 9).map(Number);
    const busy = ticks.reduce((sum, t, i) => (i === 3 || i === 4 ? sum : sum + t), 0);
    return busy * MS_PER_TICK;
  } catch {
    return 0;
  }
}

function usageUsec(text: string): number {
  return Number(/^usage_usec (\d+)$/m.exec(text)?.[1] ?? 0) / 1000;
}

export function cpuSnapshot(p: CpuProcesses): CpuMs {
  return {
    gateway: processMs(p.gateway),
    worker: processMs(p.worker),
    redis: processMs(redisPid(p.redisPort)),
    functions: p.containerIds.reduce((sum, id) => sum + containerMs(id), 0),
    client: processMs(process.pid),
    machine: machineMs(),
  };
}

/** CPU milliseconds per invocation of each component between two snapshots. */
export function cpuPerInvocation(before: CpuMs, after: CpuMs, invocations: number): CpuMs {
  const per = (k: keyof CpuMs): number => (after[k] - before[k]) / Math.max(1, invocations);
  return {
    gateway: per('gateway'),
    worker: per('worker'),
    redis: per('redis'),
    functions: per('functions'),
    client: per('client'),
    machine: per('machine'),
  };
}
