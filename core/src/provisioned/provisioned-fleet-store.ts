/**
 * @module
 * Provisioned placement's shared state, kept per worker: a liveness sorted set refreshed every
 * round (much shorter than the fleet heartbeat, so a dead worker's share moves within seconds),
 * the plan the lock holder wrote, the version keys gateways route for, and what each worker
 * last reported it has. Redis's clock decides liveness, so host clocks may disagree.
 */
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import {
  EMPTY_ASSIGNMENT,
  type ProvisionedAssignment,
  type VersionKey,
} from './provisioned-assignment.js';
import { provisionedKeys, splitMember, type ProvisionedKeys } from './provisioned-keys.js';

/** What one worker has, per version, and why its last start failed (if it did). */
export interface WorkerReport {
  readonly versions: Readonly<Record<VersionKey, { ready: number; starting: number }>>;
  /** Init failures per version (AWS's StatusReason), while no retry succeeded. */
  readonly failures: Readonly<Record<VersionKey, string>>;
}

/** Entries this long dead are forgotten by whoever looks (their share moved long ago). */
const FORGET_AFTER_MS = 3_600_000;

const BEAT = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
redis.call('ZADD', KEYS[1], now + tonumber(ARGV[2]), ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - tonumber(ARGV[3]))
return 1
`);

/** Live workers, by the Redis clock. */
const LIVE = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
return redis.call('ZRANGEBYSCORE', KEYS[1], '(' .. now, '+inf')
`);

export class ProvisionedFleetStore {
  private readonly keys: ProvisionedKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = provisionedKeys(prefix);
  }

  /** This worker may hold provisioned environments for `ttlMs` more. */
  async beat(workerId: string, ttlMs: number): Promise<void> {
    await BEAT.run(this.redis, [this.keys.live], [workerId, ttlMs, FORGET_AFTER_MS]);
  }

  /** Leave at once (clean shutdown): gateways stop claiming this worker's environments. */
  async leave(workerId: string): Promise<void> {
    await this.redis.zrem(this.keys.live, workerId);
  }

  async liveWorkers(): Promise<string[]> {
    return (await LIVE.run(this.redis, [this.keys.live], [])) as string[];
  }

  async assignment(): Promise<ProvisionedAssignment> {
    const raw = await this.redis.get(this.keys.assignment);
    return raw === null ? EMPTY_ASSIGNMENT : (JSON.parse(raw) as ProvisionedAssignment);
  }

  /** The plan and the targets gateways read (both small, rewritten every round). */
  async putAssignment(next: ProvisionedAssignment, previous: ProvisionedAssignment): Promise<void> {
    const keys = Object.keys(next.targets).sort();
    const multi = this.redis
      .multi()
      .set(this.keys.assignment, JSON.stringify(next))
      .set(this.keys.targets, JSON.stringify(keys));
    // Idle sets of versions that lost their config: their environments are being retired.
    for (const gone of Object.keys(previous.targets).filter((k) => !keys.includes(k)))
      multi.del(this.keys.idle(gone));
    await multi.exec();
  }

  async putReport(workerId: string, report: WorkerReport): Promise<void> {
    await this.redis.hset(this.keys.reports, workerId, JSON.stringify(report));
  }

  async reports(): Promise<Map<string, WorkerReport>> {
    const all = await this.redis.hgetall(this.keys.reports);
    return new Map(Object.entries(all).map(([id, raw]) => [id, JSON.parse(raw) as WorkerReport]));
  }

  /**
   * Forget the reports and claims of workers that are not live any more, and drop their offers
   * from the idle sets of `versionKeys` (the claim script skips them anyway; this keeps the
   * sets small).
   */
  async sweep(
    live: readonly string[],
    reported: readonly string[],
    versionKeys: readonly string[],
  ): Promise<void> {
    const alive = new Set(live);
    const read = this.redis.pipeline();
    for (const key of versionKeys) read.smembers(this.keys.idle(key));
    const sets = (await read.exec()) ?? [];
    const write = this.redis.multi();
    let writes = 0;
    versionKeys.forEach((key, i) => {
      const members = (sets[i]?.[1] as string[] | undefined) ?? [];
      const stale = members.filter((m) => !alive.has(splitMember(m)?.[0] ?? ''));
      if (stale.length === 0) return;
      write.srem(this.keys.idle(key), ...stale);
      writes += 1;
    });
    const gone = reported.filter((id) => !alive.has(id));
    if (gone.length > 0) {
      write.hdel(this.keys.reports, ...gone);
      for (const id of gone) write.del(this.keys.claims(id));
      writes += 1;
    }
    // Nothing is sent before exec: a multi with nothing to write is simply dropped.
    if (writes > 0) await write.exec();
  }
}
