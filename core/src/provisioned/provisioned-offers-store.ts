/**
 * @module
 * Idle provisioned environments offered to gateways, and their claims. A worker offers an
 * environment once it is initialized and idle; a gateway claims one atomically (the claim
 * script pops it and records the claim under the owning worker, skipping workers that are no
 * longer live) and queues the job straight to that worker. The worker takes the environment
 * back when it runs something there, and offers it again when it is idle again. A claim whose
 * job never arrives (the gateway died in between) is re-offered by its worker after a TTL.
 */
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { VersionKey } from './provisioned-assignment.js';
import {
  claimMember,
  offerMember,
  provisionedKeys,
  splitMember,
  type ProvisionedKeys,
} from './provisioned-keys.js';

/** An environment a gateway claimed: its worker and its id. */
export interface ProvisionedClaim {
  readonly workerId: string;
  readonly environmentId: string;
}

/** A worker's view of its own offers and claims, read in one transaction. */
export interface OfferSnapshot {
  /** Redis time of the snapshot, ms. */
  readonly now: number;
  /** Environment ids offered, per version. */
  readonly offered: ReadonlyMap<VersionKey, ReadonlySet<string>>;
  /** Claimed environment id -> its version and the claim time (ms). */
  readonly claimed: ReadonlyMap<string, { versionKey: VersionKey; at: number }>;
}

/**
 * Dead workers' offers met on the way are dropped; a few tries bound the script's time. The
 * claims key depends on the member popped, so the script builds it from ARGV[1]: fine on the
 * single Redis lambdock runs on, not on a Redis Cluster.
 */
const CLAIM = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
for _ = 1, 8 do
  local member = redis.call('SPOP', KEYS[1])
  if not member then return false end
  local at = string.find(member, '/', 1, true)
  if at then
    local worker = string.sub(member, 1, at - 1)
    local alive = redis.call('ZSCORE', KEYS[2], worker)
    if alive and tonumber(alive) > now then
      redis.call('ZADD', ARGV[1] .. worker, now, ARGV[2] .. '/' .. string.sub(member, at + 1))
      return member
    end
  end
end
return false
`);

export class ProvisionedOffersStore {
  private readonly keys: ProvisionedKeys;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.keys = provisionedKeys(prefix);
  }

  /** Gateway: the version keys with provisioned environments (cached, refreshed by the caller). */
  async targets(): Promise<Set<VersionKey>> {
    const raw = await this.redis.get(this.keys.targets);
    return new Set(raw === null ? [] : (JSON.parse(raw) as string[]));
  }

  /** Gateway: claim one idle environment of the version, or undefined when none is idle. */
  async claim(versionKey: VersionKey): Promise<ProvisionedClaim | undefined> {
    const member = (await CLAIM.run(
      this.redis,
      [this.keys.idle(versionKey), this.keys.live],
      [this.keys.claimsPrefix, versionKey],
    )) as string | null;
    const parts = member === null ? undefined : splitMember(member);
    return parts === undefined ? undefined : { workerId: parts[0], environmentId: parts[1] };
  }

  /** Idle and free: claimable (any claim on it is over). */
  async offer(workerId: string, versionKey: VersionKey, environmentId: string): Promise<void> {
    await this.redis
      .multi()
      .zrem(this.keys.claims(workerId), claimMember(versionKey, environmentId))
      .sadd(this.keys.idle(versionKey), offerMember(workerId, environmentId))
      .exec();
  }

  /** Take an offered environment back; false when a gateway claimed it first. */
  async take(workerId: string, versionKey: VersionKey, environmentId: string): Promise<boolean> {
    const removed = await this.redis.srem(
      this.keys.idle(versionKey),
      offerMember(workerId, environmentId),
    );
    return removed === 1;
  }

  /** Neither offered nor claimed any more (taken for its claim, retired, gone). */
  async withdraw(workerId: string, versionKey: VersionKey, environmentId: string): Promise<void> {
    await this.redis
      .multi()
      .srem(this.keys.idle(versionKey), offerMember(workerId, environmentId))
      .zrem(this.keys.claims(workerId), claimMember(versionKey, environmentId))
      .exec();
  }

  /** This worker's offers in `versionKeys` and all of its claims, as one consistent read. */
  async snapshot(workerId: string, versionKeys: readonly VersionKey[]): Promise<OfferSnapshot> {
    const multi = this.redis.multi().time().zrange(this.keys.claims(workerId), 0, -1, 'WITHSCORES');
    for (const key of versionKeys) multi.smembers(this.keys.idle(key));
    const replies = (await multi.exec()) ?? [];
    const [seconds, micros] = (replies[0]?.[1] as [string, string] | undefined) ?? ['0', '0'];
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const claims = (replies[1]?.[1] as string[] | undefined) ?? [];
    const claimed = new Map<string, { versionKey: VersionKey; at: number }>();
    for (let i = 0; i + 1 < claims.length; i += 2) {
      const parts = splitMember(claims[i] ?? '');
      if (parts !== undefined)
        claimed.set(parts[1], { versionKey: parts[0], at: Number(claims[i + 1]) });
    }
    const offered = new Map<VersionKey, Set<string>>();
    versionKeys.forEach((key, i) => {
      const members = (replies[i + 2]?.[1] as string[] | undefined) ?? [];
      const mine = members
        .map(splitMember)
        .filter((parts) => parts?.[0] === workerId)
        .map((parts) => parts?.[1] ?? '');
      offered.set(key, new Set(mine));
    });
    return { now, offered, claimed };
  }

  /** Drop claims (by environment id) that are over: the environment is gone or was re-offered. */
  async dropClaims(workerId: string, claims: ReadonlyMap<string, VersionKey>): Promise<void> {
    if (claims.size === 0) return;
    const members = [...claims].map(([env, key]) => claimMember(key, env));
    await this.redis.zrem(this.keys.claims(workerId), ...members);
  }

  /** Remove offers of environments that are busy or gone. */
  async dropOffers(
    workerId: string,
    versionKey: VersionKey,
    environmentIds: readonly string[],
  ): Promise<void> {
    if (environmentIds.length === 0) return;
    const members = environmentIds.map((env) => offerMember(workerId, env));
    await this.redis.srem(this.keys.idle(versionKey), ...members);
  }
}
