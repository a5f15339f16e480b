/**
 * @module
 * When an older generation's container may be torn down: once no environment is being started,
 * or `maxWaitMs` later at the most. Removing a container and starting one contend in the
 * container engine (network and cgroup setup against removal), and the new generation's cold
 * start is the one a caller waits for; the cap keeps starts that follow one another from keeping
 * containers the pool no longer counts alive.
 */
export interface StartQuiet {
  /** Counts `start` as an environment being started until it settles; returns it. */
  track<T>(start: Promise<T>): Promise<T>;
  /**
   * Resolves once no start is in flight, or after `maxWaitMs`. A start begun later in the
   * same turn counts: the acquire that found a generation stale starts its successor next.
   */
  quiet(): Promise<void>;
  /** Resolves every pending `quiet()` now (shutdown). */
  release(): void;
}

export function createStartQuiet(maxWaitMs: number): StartQuiet {
  let inFlight = 0;
  let waiting: Array<() => void> = [];
  const release = (): void => {
    const now = waiting;
    waiting = [];
    for (const go of now) go();
  };
  return {
    track(start) {
      inFlight++;
      const settled = (): void => {
        if (--inFlight === 0) release();
      };
      start.then(settled, settled);
      return start;
    },
    quiet: () =>
      new Promise<void>((resolve) => {
        // Released early, the cap's timer goes with it.
        const timer = setTimeout(resolve, maxWaitMs).unref();
        waiting.push(() => {
          clearTimeout(timer);
          resolve();
        });
        setImmediate(() => {
          if (inFlight === 0) release();
        });
      }),
    release,
  };
}
