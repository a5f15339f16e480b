/**
 * @module
 * An error logger for consumers that fail together: the sync queue's consumers share one, so a
 * Redis outage, which reaches all of them at once, is one line a second, not one per consumer.
 */
import type { Logger } from '@lambdock/core';

/** Logs each error; the same message again within `quietMs` of the last one logged is left out. */
export function quietErrorLog(
  log: Pick<Logger, 'error'>,
  quietMs: number,
  now: () => number,
): (err: Error) => void {
  let last: { readonly message: string; readonly at: number } | undefined;
  return (err) => {
    const at = now();
    if (last !== undefined && last.message === err.message && at - last.at < quietMs) return;
    last = { message: err.message, at };
    log.error({ err }, 'queue worker error');
  };
}
