/**
 * @module
 * Function records of sync jobs, reused by generation. Every change to a function's
 * definition bumps its generation, so the record the worker last read for that generation
 * is still the one to run; the gateway names the generation of the record it resolved moments
 * ago. That saves a Redis round trip on the warm path. Published versions never change, so a
 * version's record is kept the same way (under the function's name and the version: a function
 * deleted and created again starts at version 1 with another generation). Jobs without a
 * generation (async events, which may wait in the queue for long) always read the registry.
 */
import type { FunctionRecord } from '@lambdock/core';

export interface RecordSource {
  get(name: string): Promise<FunctionRecord | undefined>;
  getVersion(name: string, version: string): Promise<FunctionRecord | undefined>;
}

export interface RecordCache {
  /** The `$LATEST` record of `name`; a cached one only when it is Active at `generation`. */
  get(name: string, generation: number | undefined): Promise<FunctionRecord | undefined>;
  /** A published version of `name`; a cached one only when it has `generation`. */
  getVersion(
    name: string,
    version: string,
    generation: number | undefined,
  ): Promise<FunctionRecord | undefined>;
}

/** Records remembered at most; past it the cache starts over (one read each). */
const MAX_ENTRIES = 1024;

export function createRecordCache(source: RecordSource, maxEntries = MAX_ENTRIES): RecordCache {
  const records = new Map<string, FunctionRecord>();
  const cached = async (
    key: string,
    generation: number | undefined,
    read: () => Promise<FunctionRecord | undefined>,
  ): Promise<FunctionRecord | undefined> => {
    const hit = generation === undefined ? undefined : records.get(key);
    if (hit !== undefined && hit.generation === generation) return hit;
    const record = await read();
    if (record?.state === 'Active') {
      if (records.size >= maxEntries && !records.has(key)) records.clear();
      records.set(key, record);
    } else records.delete(key);
    return record;
  };
  return {
    get: (name, generation) => cached(name, generation, () => source.get(name)),
    // `:` never occurs in a function name, so the keys cannot meet.
    getVersion: (name, version, generation) =>
      cached(`${name}:${version}`, generation, () => source.getVersion(name, version)),
  };
}
