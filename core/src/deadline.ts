/**
 * @module
 * A deadline on a promise: the gateway's Redis calls (fail-fast.ts) and the worker's prepare
 * look-ups settle within one or fail. The work is not cancelled: it goes on, and the race still
 * observes it, so its later rejection is not an unhandled one.
 */

/** The work did not settle in time. */
export class DeadlineError extends Error {}

export async function withDeadline<T>(work: Promise<T>, timeoutMs: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new DeadlineError(`no answer within ${timeoutMs} ms`)),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
