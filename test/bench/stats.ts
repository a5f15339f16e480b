/**
 * @module
 * Percentiles over raw samples (milliseconds); tails matter. The mean is there only to compare
 * with figures that exist only as means (Prometheus sum / count).
 */
export interface Summary {
  n: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export function summarize(samples: readonly number[]): Summary {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return {
    n: sorted.length,
    mean: sorted.reduce((sum, v) => sum + v, 0) / sorted.length,
    p50: at(0.5),
    p90: at(0.9),
    p99: at(0.99),
    max: sorted[sorted.length - 1] ?? NaN,
  };
}

/**
 * How long a latency loop runs before it samples: at least `requests` requests and `ms`
 * milliseconds. A count alone warms too little: at c=1 the code paths of every process on the
 * way (several V8 isolates) are optimised only after some seconds of traffic, and a run sampled
 * after 200 requests measured lambdock's p50 a third higher than the run after it.
 */
export interface Warmup {
  readonly requests: number;
  readonly ms: number;
}

/** True once `done` requests have gone by and `ms` have passed since `startedAt` (Date.now). */
export function warmedUp(warmup: Warmup, done: number, startedAt: number): boolean {
  return done >= warmup.requests && Date.now() - startedAt >= warmup.ms;
}

export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6;
}

/**
 * The run in the middle of `runs` by `key` (the lower of the two middle ones for an even count):
 * repeated runs are reported by their median run, with the spread beside it.
 */
export function medianRun<T>(runs: readonly T[], key: (run: T) => number): T {
  const sorted = [...runs].sort((a, b) => key(a) - key(b));
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  if (middle === undefined) throw new Error('no runs');
  return middle;
}

/** `min-max` of the runs' figures, in the given number of decimals. */
export function spreadOf(values: readonly number[], digits: number): string {
  if (values.length === 0) throw new Error('no runs');
  return `${Math.min(...values).toFixed(digits)}-${Math.max(...values).toFixed(digits)}`;
}

export interface Repeated<T> {
  median: T;
  runs: T[];
}

/** `run` `count` times in a row; the median run by `key`, with every run kept. */
export async function repeatRuns<T>(
  count: number,
  run: (index: number) => Promise<T>,
  key: (r: T) => number,
): Promise<Repeated<T>> {
  const runs: T[] = [];
  for (let i = 0; i < count; i++) runs.push(await run(i));
  return { median: medianRun(runs, key), runs };
}
