/**
 * @module
 * Bounded polling for end-to-end tests: ask `probe` until it answers, or fail naming what was
 * awaited once the deadline passes.
 */
import { setTimeout as sleep } from 'node:timers/promises';

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
  intervalMs = 50,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await sleep(intervalMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}
