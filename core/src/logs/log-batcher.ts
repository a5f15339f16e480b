/**
 * @module
 * Log appends gathered for a few milliseconds and sent as one command. Every invocation ends
 * with one append; under load, one Redis write per invocation costs a system call on both ends
 * for a few hundred bytes. Batched, a burst of appends is one write and one read for Redis.
 * Logs are not on an invocation's critical path (the reply has gone out already), so the
 * window only delays when they become readable, by at most `windowMs`.
 */
import type { LogAppendEntry, LogStore } from './log-store.js';

export type LogAppend = LogAppendEntry;

export interface LogBatcherOptions {
  /** Writes the batch (one command). */
  readonly write: (entries: readonly LogAppend[]) => Promise<void>;
  /** How long the first append of a batch waits for company. */
  readonly windowMs: number;
  /** A batch this large goes out at once. */
  readonly maxBatch: number;
}

export interface LogBatcher extends Pick<LogStore, 'append'> {
  /** Send what is gathered now (shutdown). */
  flush(): Promise<void>;
}

export function createLogBatcher(options: LogBatcherOptions): LogBatcher {
  let batch: LogAppend[] = [];
  let waiters: Array<{ resolve: () => void; reject: (err: unknown) => void }> = [];
  let timer: NodeJS.Timeout | undefined;

  const flush = async (): Promise<void> => {
    clearTimeout(timer);
    timer = undefined;
    if (batch.length === 0) return;
    const entries = batch;
    const settle = waiters;
    batch = [];
    waiters = [];
    try {
      await options.write(entries);
      for (const w of settle) w.resolve();
    } catch (err) {
      for (const w of settle) w.reject(err);
    }
  };

  return {
    append(entry) {
      const done = new Promise<void>((resolve, reject) => waiters.push({ resolve, reject }));
      batch.push(entry);
      if (batch.length >= options.maxBatch) void flush();
      else timer ??= setTimeout(() => void flush(), options.windowMs);
      return done;
    },
    flush,
  };
}

/** Defaults for a worker: a few milliseconds of company, a bounded batch. */
const WINDOW_MS = 5;
const MAX_BATCH = 64;

/** `store`'s appends, batched into its `appendMany`. */
export function batchAppends(
  store: Pick<LogStore, 'appendMany'>,
  options: Partial<Omit<LogBatcherOptions, 'write'>> = {},
): LogBatcher {
  return createLogBatcher({
    write: (entries) => store.appendMany(entries),
    windowMs: options.windowMs ?? WINDOW_MS,
    maxBatch: options.maxBatch ?? MAX_BATCH,
  });
}
