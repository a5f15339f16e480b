/**
 * @module
 * A sync invoke of `$LATEST` through the gateway's SyncAdmission: the record comes from what the
 * gateway holds (no Redis call when it holds it), and the lease and the add leave together, on
 * condition that the record is still the one the job was built from. When it changed, nothing
 * was queued and the admission holds the new record: the invoke starts over from it (a deleted
 * function is now 404, an updating one 409), a few times at most.
 */
import {
  AppError,
  ERRORS,
  type FunctionRecord,
  type InvokeJobData,
  type Reply,
} from '@lambdock/core';
import type { ResolvedGatewayDeps, StampedRecord, SyncRoute } from '../deps.js';
import { stateConflict } from '../functions/conflicts.js';
import { functionNotFound } from '../functions/lookup.js';
import {
  invokeSync,
  throttled,
  type HeldLease,
  type SyncInvokeDeps,
  type SyncInvokeRequest,
} from './sync-invoke.js';

export type LatestInvokeDeps = SyncInvokeDeps & Pick<ResolvedGatewayDeps, 'admission'>;

/** Starting over more often than this means the function changes without pause: 503, retry. */
const ATTEMPTS = 3;

/** The record `name` runs as, if it may run now. */
export async function latestRecord(
  deps: Pick<ResolvedGatewayDeps, 'admission' | 'settings'>,
  name: string,
): Promise<StampedRecord> {
  const held = await deps.admission.record(name);
  if (held === undefined) throw functionNotFound(deps.settings, name, '$LATEST');
  if (held.record.state !== 'Active') throw stateConflict(held.record);
  return held;
}

class StaleRecord extends Error {}

/** A lease taken with the add: given back unless it was refused for certain. */
function leaseWithAdd(
  deps: LatestInvokeDeps,
  record: FunctionRecord,
  logger: SyncInvokeRequest['logger'],
) {
  const id = deps.newId();
  let refused = false;
  const lease: HeldLease = {
    id,
    release: async () => {
      if (refused) return;
      await deps.leases.release(record.name, id).catch((err: unknown) => {
        logger.warn({ err }, 'could not release lease; it expires by itself');
      });
    },
  };
  return { lease, refuse: () => (refused = true) };
}

export async function invokeLatest(
  deps: LatestInvokeDeps,
  request: Omit<SyncInvokeRequest, 'lease' | 'record' | 'enqueue'> & { held: StampedRecord },
): Promise<Reply> {
  let { record, stamp } = request.held;
  for (let attempt = 1; ; attempt++) {
    const { lease, refuse } = leaseWithAdd(deps, record, request.logger);
    const enqueue = async (job: InvokeJobData): Promise<SyncRoute> => {
      const outcome = await deps.admission.admitAndEnqueue(job, lease.id, stamp);
      if (outcome.kind === 'added') return outcome.route;
      refuse();
      if (outcome.kind === 'throttled') throw throttled(deps, record.name, outcome.reason);
      throw new StaleRecord();
    };
    try {
      return await invokeSync(deps, { ...request, record, lease, enqueue });
    } catch (err) {
      if (!(err instanceof StaleRecord)) throw err;
      if (attempt === ATTEMPTS) {
        throw new AppError(
          ERRORS.SERVICE_UNAVAILABLE,
          `${record.name} changed during each of ${ATTEMPTS} admissions; nothing was queued.`,
        );
      }
      ({ record, stamp } = await latestRecord(deps, record.name));
    }
  }
}
