/**
 * @module
 * An answer given before the request's body has all arrived (a 413, a refused signature) is
 * followed by reading the rest of that body and throwing it away. Closing a socket that still
 * holds unread bytes makes the kernel reset the connection, and a client still writing its
 * body then sees a broken pipe instead of the answer. Nothing drained is kept; past 128 MB, or
 * 10 s after the answer (DRAIN_BOUNDS), the connection is dropped instead.
 * Drained to its end, the connection serves the client's next request.
 */
import type { IncomingMessage } from 'node:http';

export interface DrainBounds {
  readonly limitBytes: number;
  readonly timeoutMs: number;
}

/** Above Invoke's and CreateFunction's own limits, so their refusals always reach the client. */
export const DRAIN_BOUNDS: DrainBounds = { limitBytes: 128 * 1024 * 1024, timeoutMs: 10_000 };

export function drainUnread(req: IncomingMessage, bounds: DrainBounds = DRAIN_BOUNDS): void {
  if (req.complete || req.destroyed) return;
  let drained = 0;
  const drop = (): void => {
    clearTimeout(timer);
    req.destroy();
  };
  const timer = setTimeout(drop, bounds.timeoutMs);
  timer.unref();
  req.on('data', (chunk: Buffer) => {
    drained += chunk.length;
    if (drained > bounds.limitBytes) drop();
  });
  req.once('end', () => clearTimeout(timer));
  req.once('close', () => clearTimeout(timer));
  req.resume();
}
