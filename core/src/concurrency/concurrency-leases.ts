/**
 * @module
 * Lambda's concurrency model as Redis leases. Each in-flight invocation holds a lease (a
 * sorted-set member scored by its expiry). A function with reserved concurrency may hold at
 * most that many; functions without a reservation share the account limit minus all
 * reservations. Expired leases are swept on every acquire, so a crashed worker's slots come
 * back within one lease TTL. All checks and writes happen in one Lua script: no races.
 */
import type { Redis } from 'ioredis';
import { THROTTLE_REASONS, type ThrottleReason } from '../lambda/constants.js';
import { luaScript } from '../redis/lua-script.js';
import type { RedisKeys } from '../registry/keys.js';

/**
 * Takes lease ARGV[4] for function ARGV[3] or refuses: returns 0 (taken), 1 (the function's
 * reservation is full) or 2 (the account's unreserved pool is full). KEYS and ARGV as
 * `acquireInput` builds them; a script that takes a lease among other work embeds this one.
 */
export const ACQUIRE_LEASE_LUA = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local ttl = tonumber(ARGV[1])
local account = tonumber(ARGV[2])
local fname = ARGV[3]
local lease = ARGV[4]
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
local reserved = redis.call('HGET', KEYS[3], fname)
if reserved then
  if redis.call('ZCARD', KEYS[1]) >= tonumber(reserved) then return 1 end
  redis.call('ZADD', KEYS[1], now + ttl, lease)
  return 0
end
local sum = 0
for _, v in ipairs(redis.call('HVALS', KEYS[3])) do sum = sum + tonumber(v) end
if redis.call('ZCARD', KEYS[2]) >= account - sum then return 2 end
redis.call('ZADD', KEYS[1], now + ttl, lease)
redis.call('ZADD', KEYS[2], now + ttl, lease)
return 0
`;

const ACQUIRE = luaScript(ACQUIRE_LEASE_LUA);

const RENEW = luaScript(`
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local exp = now + tonumber(ARGV[1])
local n = redis.call('ZADD', KEYS[1], 'XX', 'CH', exp, ARGV[2])
redis.call('ZADD', KEYS[2], 'XX', exp, ARGV[2])
if redis.call('ZSCORE', KEYS[1], ARGV[2]) then return 1 end
return 0
`);

/** One command instead of MULTI/ZREM/ZREM/EXEC: the release runs once per invocation. */
const RELEASE = luaScript(`
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
return 0
`);

export type AcquireResult = { ok: true } | { ok: false; reason: ThrottleReason };

/** What ACQUIRE_LEASE_LUA's answer means. */
export function acquireResult(code: number): AcquireResult {
  if (code === 0) return { ok: true };
  return { ok: false, reason: code === 1 ? THROTTLE_REASONS.RESERVED : THROTTLE_REASONS.ACCOUNT };
}

export class ConcurrencyLeases {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly accountLimit: number,
    private readonly ttlMs: number,
  ) {}

  async acquire(functionName: string, leaseId: string): Promise<AcquireResult> {
    const { keys, args } = this.acquireInput(functionName, leaseId);
    return acquireResult((await ACQUIRE.run(this.redis, keys, args)) as number);
  }

  /** KEYS (3) and ARGV (4) of ACQUIRE_LEASE_LUA for this lease. */
  acquireInput(
    functionName: string,
    leaseId: string,
  ): { keys: [string, string, string]; args: [number, number, string, string] } {
    return {
      keys: [
        this.keys.functionLeases(functionName),
        this.keys.unreservedLeases,
        this.keys.reservedConcurrency,
      ],
      args: [this.ttlMs, this.accountLimit, functionName, leaseId],
    };
  }

  /** Push the lease's expiry out; false when it had already expired. */
  async renew(functionName: string, leaseId: string): Promise<boolean> {
    const alive = (await RENEW.run(
      this.redis,
      [this.keys.functionLeases(functionName), this.keys.unreservedLeases],
      [this.ttlMs, leaseId],
    )) as number;
    return alive === 1;
  }

  async release(functionName: string, leaseId: string): Promise<void> {
    const { keys, args } = this.releaseInput(functionName, leaseId);
    await RELEASE.run(this.redis, keys, args);
  }

  /**
   * KEYS (2) and ARGV (1) of the release, for a script that releases the lease along with other
   * writes (reply-delivery.ts): `ZREM` of the lease id from both keys.
   */
  releaseInput(functionName: string, leaseId: string): { keys: [string, string]; args: [string] } {
    return {
      keys: [this.keys.functionLeases(functionName), this.keys.unreservedLeases],
      args: [leaseId],
    };
  }

  /** Live leases of one function (expired ones excluded). */
  async inFlight(functionName: string): Promise<number> {
    const now = Date.now();
    return this.redis.zcount(this.keys.functionLeases(functionName), now, '+inf');
  }
}
