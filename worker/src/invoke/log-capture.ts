/**
 * @module
 * Collects one environment's stdout/stderr per invocation, within a byte cap (an endless
 * printer costs at most the cap; the excess is dropped). Output reaches the worker
 * through Docker's attach stream, which can lag the runtime's HTTP response, so a segment
 * closes once the bytes the runtime said it wrote have arrived (lambdock's runtimes send that
 * count with their answer), else once the stream has been quiet briefly; the next invocation's
 * start closes it in any case.
 */
export interface CapturedOutput {
  readonly preOutput: Buffer;
  readonly output: Buffer;
  /** The cap was reached: some output was (or, still in flight, will be) dropped. */
  readonly truncated: boolean;
}

export interface LogCapture {
  write(chunk: Buffer): void;
  /** The event was handed over: output so far is pre-output (init or idle-time lines). */
  begin(): void;
  /**
   * Close the current segment once `expectedBytes` have arrived since `begin` (when the
   * runtime told), or else once output settles.
   */
  finish(expectedBytes?: number): Promise<CapturedOutput>;
}

export interface LogCaptureOptions {
  limitBytes: number;
  settleMs: number;
  settleMaxMs: number;
  /** Longest wait for the bytes a runtime said it wrote (default: `settleMaxMs`). */
  fenceMaxMs?: number;
  now?: () => number;
}

interface Segment {
  pre: Buffer;
  chunks: Buffer[];
  size: number;
}

/** A function writing this much within the window is mid-flood when it answers. */
const BURST_WINDOW_MS = 50;
const BURST_BYTES = 64 * 1024;

/** Output written before the event was handed over: init lines, or a late backlog. */
export const preLimit = (limitBytes: number): number =>
  Math.min(64 * 1024, Math.floor(limitBytes / 4));

const emptySegment = (): Segment => ({ pre: Buffer.alloc(0), chunks: [], size: 0 });

export function createLogCapture(options: LogCaptureOptions): LogCapture {
  const now = options.now ?? Date.now;
  let segment = emptySegment();
  let lastWriteAt = 0;
  // After a segment closed over its cap, its backlog may still be arriving: drop it rather
  // than let it open the next invocation's log.
  let discarding = false;
  let burstStart = 0;
  let burstBytes = 0;
  /** Every byte since `begin`, kept or dropped. */
  let received = 0;
  let pending:
    | {
        resolve: (c: CapturedOutput) => void;
        timer: NodeJS.Timeout | undefined;
        since: number;
        streaming: boolean;
        expected: number | undefined;
      }
    | undefined;

  const flush = (): void => {
    if (!pending) return;
    clearTimeout(pending.timer);
    const { resolve } = pending;
    pending = undefined;
    const done = segment;
    segment = emptySegment();
    const truncated = done.size >= options.limitBytes;
    discarding = truncated;
    resolve({ preOutput: done.pre, output: Buffer.concat(done.chunks), truncated });
  };

  const check = (): void => {
    if (!pending) return;
    const t = now();
    const quietFor = t - Math.max(lastWriteAt, pending.since);
    // Output still streaming when the response came: the attach stream delivers it in
    // bursts, so ask for a longer silence before calling it complete.
    const needed = pending.streaming ? options.settleMs * 5 : options.settleMs;
    if (quietFor >= needed || t - pending.since >= options.settleMaxMs) return flush();
    pending.timer = setTimeout(check, Math.max(1, needed - quietFor));
  };

  return {
    write(chunk) {
      received += chunk.length;
      if (pending?.expected !== undefined && received >= pending.expected) {
        queueMicrotask(flush);
      }
      lastWriteAt = now();
      if (lastWriteAt - burstStart > BURST_WINDOW_MS) {
        burstStart = lastWriteAt;
        burstBytes = 0;
      }
      burstBytes += chunk.length;
      if (discarding) return;
      const room = options.limitBytes - segment.size;
      if (chunk.length <= room) {
        segment.chunks.push(chunk);
        segment.size += chunk.length;
        return;
      }
      if (room > 0) segment.chunks.push(Buffer.from(chunk.subarray(0, room)));
      segment.size = options.limitBytes;
    },
    begin() {
      flush();
      discarding = false;
      // Pre-output gets a small share of its own, so a backlog from the previous invocation
      // can never crowd out this invocation's own lines.
      const pre = Buffer.concat(segment.chunks);
      segment.pre = pre.subarray(Math.max(0, pre.length - preLimit(options.limitBytes)));
      segment.chunks = [];
      segment.size = 0;
      received = 0;
    },
    finish(expectedBytes) {
      flush();
      return new Promise((resolve) => {
        const since = now();
        if (expectedBytes !== undefined) {
          pending = { resolve, since, streaming: false, timer: undefined, expected: expectedBytes };
          // Usually all of it is in already: no timer for that.
          if (received >= expectedBytes) return flush();
          pending.timer = setTimeout(flush, options.fenceMaxMs ?? options.settleMaxMs);
          return;
        }
        const streaming = since - burstStart < BURST_WINDOW_MS * 2 && burstBytes >= BURST_BYTES;
        const timer = setTimeout(check, options.settleMs);
        pending = { resolve, since, streaming, timer, expected: undefined };
      });
    },
  };
}
