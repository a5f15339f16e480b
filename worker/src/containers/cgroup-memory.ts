/**
 * @module
 * A container's peak memory, read straight from its cgroup: cheaper and faster than Docker's
 * stats API (which samples for a second). cgroup v1 exposes `memory.max_usage_in_bytes`, v2
 * `memory.peak` (kernel 5.19+); when neither is visible (a worker in a container without the
 * host's cgroup tree) the current usage is the best effort, and undefined the last resort.
 */
import { readFile } from 'node:fs/promises';
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

export async function readMaxMemoryBytes(
  containerId: string,
  cgroupRoot = '/sys/fs/cgroup',
): Promise<number | undefined> {
  if (!/^[0-9a-f]{12,64}$/.test(containerId)) return undefined;
  for (const path of candidates(cgroupRoot, containerId)) {
    try {
      const value = Number((await readFile(path, 'utf8')).trim());
      if (Number.isFinite(value) && value > 0) return value;
    } catch {
      // Not this layout; try the next one.
    }
  }
  return undefined;
}
