/**
 * @module
 * A sync invoke through the gateway's SyncAdmission. The target (`$LATEST`, a version, or an
 * alias and the version it picks) comes from what the gateway holds (no Redis call when it
 * holds it), and the lease and the add leave together, on condition that the record and the
 * alias are still the ones the job was built from. When one changed, nothing was queued and the
 * admission holds the new one: the invoke starts over from it (a deleted function is now 404, an
 * updating one 409, a re-pointed alias runs its new version), a few times at most.
 */
import {
  AppError,
  ERRORS,
  resolveQualifier,
  type FunctionRecord,
  type InvokeJobData,
  type QualifierLookups,
  type Reply,
} from '@lambdock/core';
import type {
  AliasStamp,
  ResolvedGatewayDeps,
  StampedAlias,
  StampedRecord,
  SyncRoute,
} from '../deps.js';
import { functionNotFound } from '../functions/lookup.js';
import {
  invokeSync,
  throttled,
  type HeldLease,
  type SyncInvokeDeps,
  type SyncInvokeRequest,
} from './sync-invoke.js';

export type HeldInvokeDeps = SyncInvokeDeps & Pick<ResolvedGatewayDeps, 'admission'>;

/** What an invocation runs, as the admission holds it. */
export interface HeldTarget {
  readonly record: FunctionRecord;
  /** The record's stamp. */
  readonly stamp: string;
  /** `$LATEST` or the version number that runs: X-Amz-Executed-Version. */
  readonly executedVersion: string;
  /** The alias the version was picked through, with its stamp. */
  readonly via?: AliasStamp;
}

/** Starting over more often than this means the function changes without pause: 503, retry. */
const ATTEMPTS = 3;

/**
 * The target `qualifier` names, as held, resolved as every invocation is (resolveQualifier: a
 * weighted alias picks its version with `random`); undefined when it names nothing. The
 * look-ups keep the stamps of what they read.
 */
async function heldTarget(
  deps: Pick<ResolvedGatewayDeps, 'admission' | 'random'>,
  name: string,
  qualifier: string | undefined,
): Promise<HeldTarget | undefined> {
  const read: { record?: StampedRecord; alias?: StampedAlias } = {};
  const version = async (number: string): Promise<FunctionRecord | undefined> => {
    read.record = await deps.admission.record(name, number);
    return read.record?.record;
  };
  const lookups: QualifierLookups = {
    getVersion: (_name, number) => version(number),
    getAlias: async (_name, alias) => {
      read.alias = await deps.admission.alias(name, alias);
      return read.alias?.alias;
    },
  };
  const resolved = await resolveQualifier(
    lookups,
    () => version('$LATEST'),
    name,
    qualifier,
    deps.random,
  );
  if (resolved === undefined || read.record === undefined) return undefined;
  const { record, executedVersion } = resolved;
  const target = { record, stamp: read.record.stamp, executedVersion };
  if (read.alias === undefined || qualifier === undefined) return target;
  return { ...target, via: { alias: qualifier, stamp: read.alias.stamp } };
}

/**
 * The target of `name[:qualifier]` if it may run now: 404 naming the qualified ARN when it
 * names nothing, and `ready` decides about a record that is not Active.
 */
export async function admittedTarget(
  deps: Pick<ResolvedGatewayDeps, 'admission' | 'random' | 'settings'>,
  name: string,
  qualifier: string | undefined,
  ready: (record: FunctionRecord) => void,
): Promise<HeldTarget> {
  const held = await heldTarget(deps, name, qualifier);
  if (held === undefined) throw functionNotFound(deps.settings, name, qualifier ?? '$LATEST');
  ready(held.record);
  return held;
}

class StaleTarget extends Error {}

/** A lease taken with the add: given back unless it was refused for certain. */
function leaseWithAdd(
  deps: HeldInvokeDeps,
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

export async function invokeHeld(
  deps: HeldInvokeDeps,
  request: Omit<SyncInvokeRequest, 'lease' | 'record' | 'enqueue'> & {
    held: HeldTarget;
    /** The target read again after a change (admittedTarget, with the caller's checks). */
    reload: () => Promise<HeldTarget>;
  },
): Promise<Reply> {
  let { held } = request;
  for (let attempt = 1; ; attempt++) {
    const { record, stamp, via } = held;
    const { lease, refuse } = leaseWithAdd(deps, record, request.logger);
    const enqueue = async (job: InvokeJobData): Promise<SyncRoute> => {
      const outcome = await deps.admission.admitAndEnqueue(job, lease.id, stamp, via);
      if (outcome.kind === 'added') return outcome.route;
      refuse();
      if (outcome.kind === 'throttled') throw throttled(deps, record.name, outcome.reason);
      throw new StaleTarget();
    };
    const job = { ...request.job, qualifier: held.executedVersion };
    try {
      return await invokeSync(deps, { ...request, job, record, lease, enqueue });
    } catch (err) {
      if (!(err instanceof StaleTarget)) throw err;
      if (attempt === ATTEMPTS) {
        throw new AppError(
          ERRORS.SERVICE_UNAVAILABLE,
          `${record.name} changed during each of ${ATTEMPTS} admissions; nothing was queued.`,
        );
      }
      held = await request.reload();
    }
  }
}
