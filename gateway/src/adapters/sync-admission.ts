/**
 * @module
 * SyncAdmission on Redis and BullMQ: a sync invoke's admission and its add in one round trip.
 * The gateway keeps the records it read (`$LATEST` by name, a published version by name and
 * number, an alias by name and alias), each with the SHA-1 of the stored JSON as its stamp, and
 * builds the job from what it holds; one `MULTI` then carries:
 *
 * 1. a script that checks the alias (when the job came through one) and the record still have
 *    their stamps and takes the lease; when they do not (a changed or deleted record or alias,
 *    or no lease free), it leaves a short-lived placeholder under the job's key instead, and
 *    answers why (with what is stored now, when something changed);
 * 2. BullMQ's add, which adds nothing when a key of that job id exists.
 *
 * So a job is only ever queued under a lease, for the record it was built from, through the
 * alias as it was read. The script goes as `EVAL`, never `EVALSHA`: a `NOSCRIPT` inside the
 * transaction would fail it alone and let the add through unchecked. BullMQ's add may meet a
 * `NOSCRIPT` (after `SCRIPT FLUSH`): it then fails alone, the lease is held, and the job is
 * added again outside the transaction. A changed record or alias is read from the answer into
 * the cache, and the placeholder it left is removed before the caller tries again under the same
 * id. A version with provisioned environments runs the same checks without the add, then goes
 * through the queue, which may place it on an idle provisioned environment.
 */
import { createHash } from 'node:crypto';
import { Job, createIORedisClient, type Queue } from 'bullmq';
import {
  ACQUIRE_LEASE_LUA,
  JOB_NAMES,
  type AliasRecord,
  SYNC_JOB_OPTIONS,
  acquireResult,
  type ConcurrencyLeases,
  type FunctionRecord,
  type InvokeJobData,
  type InvokeJobResult,
  type RedisKeys,
} from '@lambdock/core';
import type { Redis } from 'ioredis';
import type {
  AdmitOutcome,
  AliasStamp,
  InvocationQueue,
  StampedAlias,
  StampedRecord,
  SyncAdmission,
} from '../deps.js';
import { failFast } from './fail-fast.js';

/** The placeholder only has to outlive its transaction; short, so throttle storms leave little. */
const PLACEHOLDER_TTL_MS = 2_000;
/** Jobs added here go to the shared queue. */
const SHARED = Object.freeze({});
/** Records and aliases one gateway keeps; the least recently invoked go first. */
const CACHE_MAX = 1024;
const LATEST = '$LATEST';

/**
 * KEYS: the lease keys (3), the record (the function's or a version's), the job, and the
 * alias hash when the job came through an alias. ARGV: the lease arguments (4), the record's
 * stamp, the placeholder TTL, then the alias and its stamp. Answers 0 (admitted), 1 or 2
 * (throttled, as the lease script), `{3, record}` (the record changed; `false` when it is gone)
 * or `{4, alias}` (the alias changed, or is gone).
 */
const ADMIT_LUA = `
local function acquire()
${ACQUIRE_LEASE_LUA}
end
local code = 0
local now = false
if KEYS[6] then
  now = redis.call('HGET', KEYS[6], ARGV[7])
  if not now or redis.sha1hex(now) ~= ARGV[8] then code = 4 end
end
if code == 0 then
  now = redis.call('GET', KEYS[4])
  if now and redis.sha1hex(now) == ARGV[5] then code = acquire() else code = 3 end
end
if code ~= 0 then
  redis.call('HSET', KEYS[5], 'refused', code)
  redis.call('PEXPIRE', KEYS[5], ARGV[6])
end
if code >= 3 then return {code, now} end
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
  /**
   * Versions with provisioned environments, and the queue that may place their jobs on one.
   * @defaultValue none: every job goes to the shared queue
   */
  provisioned?: {
    covers(functionName: string, version: string): boolean;
    queue: Pick<InvocationQueue, 'enqueueSync'>;
  };
}

function stamped(raw: string): StampedRecord {
  return { record: JSON.parse(raw) as FunctionRecord, stamp: recordStamp(raw) };
}

/** Keeps what was read, in use order, up to CACHE_MAX entries of both kinds. */
function createHeld() {
  const held = new Map<string, StampedRecord | StampedAlias>();
  return {
    get<T extends StampedRecord | StampedAlias>(key: string): T | undefined {
      const entry = held.get(key) as T | undefined;
      if (entry === undefined) return undefined;
      // Most recently used last: the oldest is the first in the map's order.
      held.delete(key);
      held.set(key, entry);
      return entry;
    },
    set(key: string, entry: StampedRecord | StampedAlias | undefined): void {
      held.delete(key);
      if (entry === undefined) return;
      held.set(key, entry);
      if (held.size > CACHE_MAX) held.delete(held.keys().next().value as string);
    },
  };
}

export function createRedisSyncAdmission(o: RedisSyncAdmissionOptions): SyncAdmission {
  const held = createHeld();
  const recordKey = (name: string, version: string): string =>
    version === LATEST ? o.keys.function(name) : o.keys.functionVersion(name, version);
  // `:` is in neither a function name nor a qualifier; `@` marks an alias.
  const recordSlot = (name: string, version: string): string => `${name}:${version}`;
  const aliasSlot = (name: string, alias: string): string => `${name}@${alias}`;
  // Only an Active record is kept: any other is read again, so its change to Active is seen.
  const rememberRecord = (
    name: string,
    version: string,
    raw: string | null,
  ): StampedRecord | undefined => {
    const entry = raw === null ? undefined : stamped(raw);
    held.set(recordSlot(name, version), entry?.record.state === 'Active' ? entry : undefined);
    return entry;
  };
  const rememberAlias = (name: string, alias: string, raw: string | null) => {
    const entry =
      raw === null ? undefined : { alias: JSON.parse(raw) as AliasRecord, stamp: recordStamp(raw) };
    held.set(aliasSlot(name, alias), entry);
    return entry;
  };
  const client = createIORedisClient(o.redis);
  const jobKey = (id: string): string => o.sync.toKey(id);
  const ignore = (): undefined => undefined;

  /** The admission script's command: the lease, on condition that the stamps still hold. */
  const admitCommand = (job: InvokeJobData, leaseId: string, stamp: string, via?: AliasStamp) => {
    const name = job.functionName;
    const lease = o.leases.acquireInput(name, leaseId);
    const keys = [...lease.keys, recordKey(name, job.qualifier), jobKey(job.requestId)];
    const args: Array<string | number> = [...lease.args, stamp, PLACEHOLDER_TTL_MS];
    if (via !== undefined) {
      keys.push(o.keys.aliases(name));
      args.push(via.alias, via.stamp);
    }
    return o.redis.eval(ADMIT_LUA, keys.length, ...keys, ...args);
  };

  /** The script's answer as an outcome; a changed record or alias is held from now on. */
  const outcomeOf = async (
    job: InvokeJobData,
    reply: unknown,
    via?: AliasStamp,
  ): Promise<AdmitOutcome | undefined> => {
    const answer = reply as number | [number, string | null];
    if (Array.isArray(answer)) {
      const [code, now] = answer;
      if (code === 4 && via !== undefined) rememberAlias(job.functionName, via.alias, now);
      else rememberRecord(job.functionName, job.qualifier, now);
      await failFast(o.redis.del(jobKey(job.requestId)), o.timeoutMs);
      return { kind: 'stale' };
    }
    const result = acquireResult(answer);
    return result.ok ? undefined : { kind: 'throttled', reason: result.reason };
  };

  return {
    async record(name, version = LATEST) {
      const entry = held.get<StampedRecord>(recordSlot(name, version));
      if (entry !== undefined) return entry;
      const raw = await failFast(o.redis.get(recordKey(name, version)), o.timeoutMs);
      return rememberRecord(name, version, raw);
    },
    async alias(name, alias) {
      const entry = held.get<StampedAlias>(aliasSlot(name, alias));
      if (entry !== undefined) return entry;
      const raw = await failFast(o.redis.hget(o.keys.aliases(name), alias), o.timeoutMs);
      return rememberAlias(name, alias, raw);
    },
    async admitAndEnqueue(job, leaseId, stamp, via): Promise<AdmitOutcome> {
      const provisioned = o.provisioned;
      if (provisioned?.covers(job.functionName, job.qualifier) === true) {
        // The checks and the lease first; the queue then claims an idle provisioned environment.
        const answer = await failFast(admitCommand(job, leaseId, stamp, via), o.timeoutMs);
        const refused = await outcomeOf(job, answer, via);
        if (refused !== undefined) return refused;
        return { kind: 'added', route: await provisioned.queue.enqueueSync(job) };
      }
      const options = { ...SYNC_JOB_OPTIONS, jobId: job.requestId };
      const add = new Job(o.sync, JOB_NAMES.INVOKE, job, options, job.requestId);
      // MULTI as plain commands, issued in one go: nothing else can come between them on the
      // connection, and no ioredis pipeline is built per invoke (that costs about 50 µs).
      // Each command's own answer is QUEUED; EXEC's carries the results.
      o.redis.multi({ pipeline: false }).catch(ignore);
      admitCommand(job, leaseId, stamp, via).catch(ignore);
      add.addJob(client).catch(ignore);
      const results = await failFast(o.redis.exec(), o.timeoutMs);
      const [admitted, added] = results ?? [];
      if (admitted === undefined || admitted[0] !== null) {
        // A transaction does not roll back: an add that went through without its admission
        // is taken back (unless a worker holds it already).
        if (added?.[0] === null) await o.sync.remove(job.requestId).catch(ignore);
        throw admitted?.[0] ?? new Error('transaction discarded');
      }
      const refused = await outcomeOf(job, admitted[1], via);
      if (refused !== undefined) return refused;
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
