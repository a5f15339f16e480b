/**
 * @module
 * SyncAdmission on Redis and BullMQ: a `$LATEST` sync invoke's admission and its add in one
 * round trip. The gateway keeps the records it read (by name, with the SHA-1 of the stored JSON
 * as their stamp) and builds the job from the one it holds; one `MULTI` then carries:
 *
 * 1. a script that checks the stored record still has that stamp and takes the lease; when it
 *    does not (a changed record, or no lease free), it leaves a short-lived placeholder under
 *    the job's key instead, and answers why (with the record as stored now, when it changed);
 * 2. BullMQ's add, which adds nothing when a key of that job id exists.
 *
 * So a job is only ever queued under a lease, for the record it was built from. The script goes
 * as `EVAL`, never `EVALSHA`: a `NOSCRIPT` inside the transaction would fail it alone and let
 * the add through unchecked. BullMQ's add may meet a `NOSCRIPT` (after `SCRIPT FLUSH`): it then
 * fails alone, the lease is held, and the job is added again outside the transaction. A changed
 * record is read from the answer into the cache, and the placeholder it left is removed before
 * the caller tries again under the same id.
 */
import { createHash } from 'node:crypto';
import { Job, createIORedisClient, type Queue } from 'bullmq';
import {
  ACQUIRE_LEASE_LUA,
  JOB_NAMES,
  SYNC_JOB_OPTIONS,
  acquireResult,
  type ConcurrencyLeases,
  type FunctionRecord,
  type InvokeJobData,
  type InvokeJobResult,
  type RedisKeys,
} from '@lambdock/core';
import type { Redis } from 'ioredis';
import type { AdmitOutcome, StampedRecord, SyncAdmission } from '../deps.js';
import { failFast } from './fail-fast.js';

/** The placeholder only has to outlive its transaction; short, so throttle storms leave little. */
const PLACEHOLDER_TTL_MS = 2_000;
/** `$LATEST` is never provisioned: its jobs go to the shared queue. */
const SHARED = Object.freeze({});
/** Functions whose records one gateway keeps; the least recently invoked go first. */
const CACHE_MAX = 1024;

/**
 * KEYS: the lease keys (3), the function record, the job. ARGV: the lease arguments (4), the
 * stamp, the placeholder TTL. Answers 0 (admitted), 1 or 2 (throttled, as the lease script),
 * or `{3, record}` (the record changed; `false` when it is gone).
 */
const ADMIT_LUA = `
local function acquire()
${ACQUIRE_LEASE_LUA}
end
local raw = redis.call('GET', KEYS[4])
local code = 3
if raw and redis.sha1hex(raw) == ARGV[5] then code = acquire() end
if code ~= 0 then
  redis.call('HSET', KEYS[5], 'refused', code)
  redis.call('PEXPIRE', KEYS[5], ARGV[6])
end
if code == 3 then return {3, raw} end
return code
`;

const isNoScript = (err: unknown): boolean =>
  err instanceof Error && err.message.startsWith('NOSCRIPT');

export const recordStamp = (raw: string): string => createHash('sha1').update(raw).digest('hex');

export interface RedisSyncAdmissionOptions {
  /** The producer connection: the shared sync queue's, and the records'. */
  redis: Redis;
  keys: RedisKeys;
  leases: Pick<ConcurrencyLeases, 'acquireInput'>;
  sync: Queue<InvokeJobData, InvokeJobResult>;
  /** Past this, Redis is unwell: 503 (as every hot-path call). */
  timeoutMs: number;
}

function stamped(raw: string): StampedRecord {
  return { record: JSON.parse(raw) as FunctionRecord, stamp: recordStamp(raw) };
}

export function createRedisSyncAdmission(o: RedisSyncAdmissionOptions): SyncAdmission {
  const cache = new Map<string, StampedRecord>();
  // Only an Active record is kept: any other is read again, so its change to Active is seen.
  const remember = (name: string, raw: string | null): StampedRecord | undefined => {
    cache.delete(name);
    if (raw === null) return undefined;
    const entry = stamped(raw);
    if (entry.record.state !== 'Active') return entry;
    cache.set(name, entry);
    if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value as string);
    return entry;
  };
  const client = createIORedisClient(o.redis);
  const jobKey = (id: string): string => o.sync.toKey(id);
  return {
    async record(name) {
      const held = cache.get(name);
      if (held === undefined)
        return remember(name, await failFast(o.redis.get(o.keys.function(name)), o.timeoutMs));
      // Most recently used last: the oldest is the first in the map's order.
      cache.delete(name);
      cache.set(name, held);
      return held;
    },
    async admitAndEnqueue(job, leaseId, stamp): Promise<AdmitOutcome> {
      const name = job.functionName;
      const lease = o.leases.acquireInput(name, leaseId);
      const keys = [...lease.keys, o.keys.function(name), jobKey(job.requestId)];
      const args = [...lease.args, stamp, PLACEHOLDER_TTL_MS];
      const options = { ...SYNC_JOB_OPTIONS, jobId: job.requestId };
      const add = new Job(o.sync, JOB_NAMES.INVOKE, job, options, job.requestId);
      // MULTI as plain commands, issued in one go: nothing else can come between them on the
      // connection, and no ioredis pipeline is built per invoke (that costs about 50 µs).
      // Each command's own answer is QUEUED; EXEC's carries the results.
      const ignore = (): undefined => undefined;
      o.redis.multi({ pipeline: false }).catch(ignore);
      o.redis.eval(ADMIT_LUA, keys.length, ...keys, ...args).catch(ignore);
      add.addJob(client).catch(ignore);
      const results = await failFast(o.redis.exec(), o.timeoutMs);
      const [admitted, added] = results ?? [];
      if (admitted === undefined || admitted[0] !== null) {
        // A transaction does not roll back: an add that went through without its admission
        // is taken back (unless a worker holds it already).
        if (added?.[0] === null) await o.sync.remove(job.requestId).catch(ignore);
        throw admitted?.[0] ?? new Error('transaction discarded');
      }
      const answer = admitted[1] as number | [number, string | null];
      if (Array.isArray(answer)) {
        remember(name, answer[1]);
        await failFast(o.redis.del(jobKey(job.requestId)), o.timeoutMs);
        return { kind: 'stale' };
      }
      const result = acquireResult(answer);
      if (!result.ok) return { kind: 'throttled', reason: result.reason };
      if (added === undefined) throw new Error('add not answered');
      // Admitted, but the add's script was gone (SCRIPT FLUSH): add it now, under the lease
      // held; ioredis sends the script again, and the next transactions find it.
      if (isNoScript(added[0]))
        await failFast(o.sync.add(JOB_NAMES.INVOKE, job, options), o.timeoutMs);
      else if (added[0] !== null) throw added[0];
      return { kind: 'added', route: SHARED };
    },
  };
}
