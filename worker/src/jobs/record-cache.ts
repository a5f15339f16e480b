/**
 * @module
 * Function records of sync jobs, reused by generation. Every change to a function's
 * definition bumps its generation, so the record the worker last read for that generation
 * is still the one to run; the gateway names the generation it found Active moments ago.
 * That saves a Redis round trip on the warm path. Jobs without a generation (async events,
 * which may wait in the queue for long) always read the registry.
 */
import type { FunctionRecord } from '@lambdock/core';

export interface RecordSource {
  get(name: string): Promise<FunctionRecord | undefined>;
}

export interface RecordCache {
  /** The record of `name`; a cached one only when it is Active at `generation`. */
  get(name: string, generation: number | undefined): Promise<FunctionRecord | undefined>;
}

/** Functions remembered at most; past it the cache starts over (one read each). */
const MAX_ENTRIES = 1024;

export function createRecordCache(source: RecordSource, maxEntries = MAX_ENTRIES): RecordCache {
  const records = new Map<string, FunctionRecord>();
  return {
    async get(name, generation) {
      const cached = generation === undefined ? undefined : records.get(name);
      if (cached !== undefined && cached.generation === generation) return cached;
      const record = await source.get(name);
      if (record?.state === 'Active') {
        if (records.size >= maxEntries && !records.has(name)) records.clear();
        records.set(name, record);
      } else records.delete(name);
      return record;
    },
  };
}
