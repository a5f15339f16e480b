/**
 * @module
 * Core's FunctionRegistry updates optimistically with WATCH/MULTI/EXEC. WATCH state belongs to
 * the connection, and any EXEC on it clears every watch, so two writes interleaved on one
 * connection would silently lose that protection. The gateway therefore gives the registry a
 * connection of its own and runs this replica's registry writes one at a time; conflicts with
 * other replicas are still caught by WATCH. Management writes are rare: the queue costs nothing.
 */
import type { FunctionStore } from '../deps.js';

const WRITES = [
  'create',
  'update',
  'delete',
  'putReservedConcurrency',
  'deleteReservedConcurrency',
] as const satisfies ReadonlyArray<keyof FunctionStore>;

export function serializeWrites(store: FunctionStore): FunctionStore {
  let tail: Promise<unknown> = Promise.resolve();
  const serialized = bindAll(store);
  for (const method of WRITES) {
    const original = store[method].bind(store) as (...args: unknown[]) => Promise<unknown>;
    (serialized as Record<string, unknown>)[method] = (...args: unknown[]): Promise<unknown> => {
      const run = tail.then(() => original(...args));
      tail = run.catch(() => undefined);
      return run;
    };
  }
  return serialized;
}

function bindAll(store: FunctionStore): FunctionStore {
  return {
    create: store.create.bind(store),
    get: store.get.bind(store),
    list: store.list.bind(store),
    update: store.update.bind(store),
    delete: store.delete.bind(store),
    getCode: store.getCode.bind(store),
    count: store.count.bind(store),
    getReservedConcurrency: store.getReservedConcurrency.bind(store),
    putReservedConcurrency: store.putReservedConcurrency.bind(store),
    deleteReservedConcurrency: store.deleteReservedConcurrency.bind(store),
    totalReserved: store.totalReserved.bind(store),
  };
}
