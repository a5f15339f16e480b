/**
 * @module
 * How the benchmark prints: one line per figure, its value, and its ratio or spread beside it.
 */
import type { CpuMs } from './cpu.js';
import type { Throughput } from './scenarios.js';
import { spreadOf, type Repeated, type Summary } from './stats.js';

export interface ThroughputRun {
  t: Throughput;
  /** CPU milliseconds per invocation of each component during the run. */
  used: CpuMs;
  /** Function containers counted. */
  environments: number;
}

export const fmt = (n: number): string => n.toFixed(2);

export const line = (label: string, value: string, ratio?: string): void =>
  console.log(`${label.padEnd(44)} ${value.padEnd(36)} ${ratio ?? ''}`);

export const lat = (s: Summary): string => `p50 ${fmt(s.p50)} ms  p99 ${fmt(s.p99)} ms`;

/** The median run's latency, and the spread of every run's p50. */
export const latRuns = (r: Repeated<Summary>): string =>
  `${lat(r.median)}  (runs: p50 ${spreadOf(
    r.runs.map((s) => s.p50),
    2,
  )})`;

export const cpu = (c: CpuMs): string =>
  `gateway ${fmt(c.gateway)}  worker ${fmt(c.worker)}  redis ${fmt(c.redis)}  functions ${fmt(c.functions)}`;

/** The load generator's share, and the whole machine's busy time beside the components'. */
export const cpuBeside = (c: CpuMs): string =>
  `load generator ${fmt(c.client)}  machine ${fmt(c.machine)} (all cores)`;

export function printThroughput(label: string, runs: Repeated<ThroughputRun>): void {
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
  line('  beside it', cpuBeside(used));
}
