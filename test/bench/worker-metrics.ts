/**
 * @module
 * The worker's own view of the Runtime API hop: `lambdock_worker_invoke_duration_seconds`
 * measures from handing the event to the runtime until its answer, so for a no-op function
 * the change in its sum over the change in its count is the mean hop into the container.
 */
export interface Totals {
  sum: number;
  count: number;
}

const SERIES = 'lambdock_worker_invoke_duration_seconds';

/** Sum and count of warm invocations from a Prometheus text exposition. */
export function warmInvokeTotals(exposition: string): Totals {
  const read = (suffix: string): number => {
    const line = exposition
      .split('\n')
      .find((l) => l.startsWith(`${SERIES}_${suffix}{`) && l.includes('start="warm"'));
    return Number(line?.split(' ').pop() ?? 0);
  };
  return { sum: read('sum'), count: read('count') };
}

export async function workerWarmTotals(workerPort: number): Promise<Totals> {
  const res = await fetch(`http://127.0.0.1:${workerPort}/metrics`);
  return warmInvokeTotals(await res.text());
}

/** Mean milliseconds per warm invocation between two readings. */
export function meanMs(before: Totals, after: Totals): number {
  const count = after.count - before.count;
  return count > 0 ? ((after.sum - before.sum) / count) * 1000 : NaN;
}
