/**
 * @module
 * SyncAdmission in separate steps, for stores that are not one Redis (tests, fakes): records
 * and aliases are read every time (so they are never stale), then the lease is taken, then the
 * job is added. A lease is only taken when the add follows; the caller gives it back if the add
 * fails.
 */
import type { GatewayDeps, SyncAdmission } from '../deps.js';

export function createSplitAdmission(
  deps: Pick<GatewayDeps, 'registry' | 'versions' | 'leases' | 'queue'>,
): SyncAdmission {
  return {
    async record(name, version = '$LATEST') {
      const record =
        version === '$LATEST'
          ? await deps.registry.get(name)
          : await deps.versions.getVersion(name, version);
      return record === undefined ? undefined : { record, stamp: '' };
    },
    async alias(name, alias) {
      const found = await deps.versions.getAlias(name, alias);
      return found === undefined ? undefined : { alias: found, stamp: '' };
    },
    async admitAndEnqueue(job, leaseId) {
      const acquired = await deps.leases.acquire(job.functionName, leaseId);
      if (!acquired.ok) return { kind: 'throttled', reason: acquired.reason };
      return { kind: 'added', route: await deps.queue.enqueueSync(job) };
    },
  };
}
