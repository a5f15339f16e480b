/**
 * @module
 * Invocation records in Redis, one JSON string per request id with a TTL (retention). Writes
 * are compare-and-set in Lua against the exact value read, so concurrent writers (a worker and
 * a redelivery of the same job) serialise, and the pure transitions in invocation-record.ts
 * decide whether a write is still allowed (never after a terminal status).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { InvocationRecord } from './invocation-record.js';
import type { AsyncKeys } from './keys.js';

/** Rounds before an update gives up; every round lets at least one writer through. */
const UPDATE_ATTEMPTS = 32;

/** ARGV[1] '' = the key must not exist yet (no record JSON is empty). */
const CAS = luaScript(`
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '' then
  if current then return 0 end
elseif current ~= ARGV[1] then
  return 0
end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
`);

export interface RecordUpdate {
  /** The record as stored after the call (unchanged when `written` is false). */
  record: InvocationRecord | undefined;
  written: boolean;
}

/** Returns the next record, or `undefined` to leave the stored one as it is. */
export type RecordMutation = (
  current: InvocationRecord | undefined,
) => InvocationRecord | undefined;

export class InvocationRecordStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: AsyncKeys,
    /** Retention of a record after its last change. */
    private readonly ttlMs: number,
  ) {}

  async get(requestId: string): Promise<InvocationRecord | undefined> {
    const raw = await this.redis.get(this.keys.invocation(requestId));
    return raw === null ? undefined : (JSON.parse(raw) as InvocationRecord);
  }

  async update(requestId: string, mutate: RecordMutation): Promise<RecordUpdate> {
    const key = this.keys.invocation(requestId);
    for (let round = 0; round < UPDATE_ATTEMPTS; round++) {
      const raw = await this.redis.get(key);
      const current = raw === null ? undefined : (JSON.parse(raw) as InvocationRecord);
      const next = mutate(current);
      if (next === undefined) return { record: current, written: false };
      const swapped = await CAS.run(
        this.redis,
        [key],
        [raw ?? '', JSON.stringify(next), this.ttlMs],
      );
      if (swapped === 1) return { record: next, written: true };
      await sleep(Math.random() * 4 * (round + 1));
    }
    throw new Error(`invocation record ${requestId}: too many concurrent updates`);
  }
}
