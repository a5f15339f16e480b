/**
 * @module
 * SyncAdmission in separate steps, for stores that are not one Redis (tests, fakes): the record
 * is read every time (so it is never stale), then the lease is taken, then the job is added. A
 * lease is only taken when the add follows; the caller gives it back if the add fails.
 */
import type { GatewayDeps, SyncAdmission } from '../deps.js';

export function createSplitAdmission(
  deps: Pick<GatewayDeps, 'registry' | 'leases' | 'queue'>,
): SyncAdmission {
  return {
    async record(name) {
      const record = await deps.registry.get(name);
      return record === undefined ? undefined : { record, stamp: '' };
    },
    async admitAndEnqueue(job, leaseId) {
      const acquired = await deps.leases.acquire(job.functionName, leaseId);
      if (!acquired.ok) return { kind: 'throttled', reason: acquired.reason };
      return { kind: 'added', route: await deps.queue.enqueueSync(job) };
    },
  };
}
