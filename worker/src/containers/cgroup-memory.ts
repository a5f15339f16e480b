/**
 * @module
 * A container's peak memory, read straight from its cgroup: cheaper and faster than Docker's
 * stats API (which samples for a second). cgroup v1 exposes `memory.max_usage_in_bytes`, v2
 * `memory.peak` (kernel 5.19+); when neither is visible (a worker in a container without the
 * host's cgroup tree) the current usage is the best effort, and undefined the last resort.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { join } from 'node:path';

function candidates(root: string, id: string): string[] {
  const v1 = join(root, 'memory');
  return [
    join(v1, 'docker', id, 'memory.max_usage_in_bytes'),
    join(v1, 'system.slice', `docker-${id}.scope`, 'memory.max_usage_in_bytes'),
    join(root, 'docker', id, 'memory.peak'),
    join(root, 'system.slice', `docker-${id}.scope`, 'memory.peak'),
    join(v1, 'docker', id, 'memory.usage_in_bytes'),
    join(root, 'docker', id, 'memory.current'),
    join(root, 'system.slice', `docker-${id}.scope`, 'memory.current'),
  ];
}

export interface MaxMemoryReader {
  /** Peak bytes, or undefined when no layout answers (or the cgroup is gone). */
  read(): Promise<number | undefined>;
  /** Let go of the open cgroup file; a later read looks for it again. */
  close(): void;
}

/**
 * A reader for one container. cgroup files are kernel pseudo-files answered from memory, so a
 * synchronous read costs microseconds; the file that answered stays open and is re-read from
 * offset 0, which saves an open and a close per invocation. A removed cgroup answers ENODEV
 * on the open file (it never holds the cgroup back); the reader then closes it.
 */
export function createMaxMemoryReader(
  containerId: string,
  cgroupRoot = '/sys/fs/cgroup',
): MaxMemoryReader {
  const paths = /^[0-9a-f]{12,64}$/.test(containerId) ? candidates(cgroupRoot, containerId) : [];
  const buffer = Buffer.alloc(32);
  let fd: number | undefined;

  const close = (): void => {
    if (fd === undefined) return;
    try {
      closeSync(fd);
    } catch {
      // Already closed or never valid: nothing left to release.
    }
    fd = undefined;
  };
  const readOpen = (open: number): number | undefined => {
    try {
      const value = Number(buffer.toString('latin1', 0, readSync(open, buffer, 0, 32, 0)).trim());
      if (Number.isFinite(value) && value > 0) return value;
    } catch {
      // ENODEV: the container's cgroup was removed.
    }
    close();
    return undefined;
  };

  return {
    read() {
      if (fd !== undefined) {
        const value = readOpen(fd);
        if (value !== undefined) return Promise.resolve(value);
      }
      for (const path of paths) {
        try {
          fd = openSync(path, 'r');
        } catch {
          continue;
        }
        const value = readOpen(fd);
        if (value !== undefined) return Promise.resolve(value);
      }
      return Promise.resolve(undefined);
    },
    close,
  };
}
