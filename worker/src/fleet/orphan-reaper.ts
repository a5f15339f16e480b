/**
 * @module
 * Removes function containers nobody runs any more: those of workers whose heartbeat expired
 * (crashed, killed, partitioned away for good) and, on start, those left by an earlier process
 * with this worker's id. Containers of live workers on the same host are never touched, nor
 * those of workers this installation never knew (another lambdock on the same Docker engine,
 * with its own Redis or key prefix).
 */
import type { Logger } from '@lambdock/core';
import type { ContainerDriver } from '../containers/container-driver.js';
import { LABELS } from '../containers/container-spec.js';

export interface OrphanReaperDeps {
  driver: Pick<ContainerDriver, 'listManaged' | 'remove'>;
  workers(): Promise<{ live: Set<string>; known: Set<string> }>;
  workerId: string;
  logger: Logger;
  onReaped?(count: number): void;
}

export interface OrphanReaper {
  /** `includeOwn`: also remove this worker id's containers (only before it starts any). */
  sweep(includeOwn: boolean): Promise<number>;
}

export function createOrphanReaper(deps: OrphanReaperDeps): OrphanReaper {
  return {
    async sweep(includeOwn) {
      const [containers, { live, known }] = await Promise.all([
        deps.driver.listManaged(),
        deps.workers(),
      ]);
      const orphans = containers.filter((c) => {
        const owner = c.labels[LABELS.WORKER] ?? '';
        if (owner === deps.workerId) return includeOwn;
        return known.has(owner) && !live.has(owner);
      });
      for (const orphan of orphans) {
        await deps.driver.remove(orphan.id).catch((err: unknown) => {
          deps.logger.warn({ err, container: orphan.id }, 'orphan container removal failed');
        });
      }
      if (orphans.length > 0) {
        deps.logger.info({ count: orphans.length }, 'orphan function containers removed');
        deps.onReaped?.(orphans.length);
      }
      return orphans.length;
    },
  };
}
