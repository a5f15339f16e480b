/**
 * @module
 * Queue the `prepare` lifecycle job a worker runs for every new generation of a function, and
 * undo what cannot stand when Redis refuses it: a new function nobody will prepare would stay
 * Pending forever, an update nobody will prepare would block every later update (InProgress).
 */
import type { FunctionRecord } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';

type PrepareDeps = Pick<ResolvedGatewayDeps, 'queue' | 'registry'>;

function prepare(deps: PrepareDeps, record: FunctionRecord): Promise<void> {
  return deps.queue.enqueuePrepare({ functionName: record.name, generation: record.generation });
}

/** After CreateFunction stored `record`: queue its preparation or remove it again. */
export async function prepareCreated(deps: PrepareDeps, record: FunctionRecord): Promise<void> {
  try {
    await prepare(deps, record);
  } catch (err) {
    await deps.registry.delete(record.name).catch(() => undefined);
    throw err;
  }
}

/** After an update stored `record`: queue its preparation or mark that update Failed. */
export async function prepareUpdated(deps: PrepareDeps, record: FunctionRecord): Promise<void> {
  try {
    await prepare(deps, record);
  } catch (err) {
    await deps.registry
      .update(record.name, (cur) =>
        cur.generation !== record.generation
          ? cur
          : {
              ...cur,
              lastUpdateStatus: 'Failed',
              lastUpdateStatusReason: 'The update could not be scheduled. Retry it.',
              lastUpdateStatusReasonCode: 'InternalError',
            },
      )
      .catch(() => undefined);
    throw err;
  }
}
