/**
 * @module
 * Provisioned concurrency configs in Redis: one hash of configs (written by the gateway) and
 * one of progress (written by the lock holder), both keyed `name:qualifier`, plus the lock that
 * says which worker plans provisioning. Function names and qualifiers never contain `:`.
 * Every change of a function's configs also writes their sum to the totals hash, in the same
 * script, for the concurrency leases (concurrency-leases.ts).
 */
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import { createKeys } from '../registry/keys.js';
import type { ProvisionedConfig, ProvisionedProgress } from './provisioned-config.js';

const field = (functionName: string, qualifier: string): string => `${functionName}:${qualifier}`;

/**
 * KEYS: configs, progress, totals. ARGV: the function, the field, the config (absent: delete).
 * Answers 1 when a config was removed (or written). The sum is taken over the function's fields.
 */
const CHANGE_CONFIG = luaScript(`
local removed = 1
if ARGV[3] then
  redis.call('HSET', KEYS[1], ARGV[2], ARGV[3])
else
  removed = redis.call('HDEL', KEYS[1], ARGV[2])
  redis.call('HDEL', KEYS[2], ARGV[2])
end
local prefix = ARGV[1] .. ':'
local total = 0
local all = redis.call('HGETALL', KEYS[1])
for i = 1, #all, 2 do
  if string.sub(all[i], 1, #prefix) == prefix then
    total = total + (tonumber(cjson.decode(all[i + 1]).requested) or 0)
  end
end
if total > 0 then redis.call('HSET', KEYS[3], ARGV[1], total) else redis.call('HDEL', KEYS[3], ARGV[1]) end
return removed
`);

export class ProvisionedConcurrencyStore {
  private readonly configsKey: string;
  private readonly progressKey: string;
  private readonly lockKey: string;
  private readonly totalsKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.configsKey = `${prefix}:pc:configs`;
    this.progressKey = `${prefix}:pc:progress`;
    this.lockKey = `${prefix}:pc:lock`;
    this.totalsKey = createKeys(prefix).provisionedTotals;
  }

  async get(functionName: string, qualifier: string): Promise<ProvisionedConfig | undefined> {
    const raw = await this.redis.hget(this.configsKey, field(functionName, qualifier));
    return raw === null ? undefined : (JSON.parse(raw) as ProvisionedConfig);
  }

  async put(config: ProvisionedConfig): Promise<void> {
    await CHANGE_CONFIG.run(
      this.redis,
      [this.configsKey, this.progressKey, this.totalsKey],
      [config.functionName, field(config.functionName, config.qualifier), JSON.stringify(config)],
    );
  }

  /** False when there was no config for that qualifier. Its progress goes with it. */
  async delete(functionName: string, qualifier: string): Promise<boolean> {
    const removed = await CHANGE_CONFIG.run(
      this.redis,
      [this.configsKey, this.progressKey, this.totalsKey],
      [functionName, field(functionName, qualifier)],
    );
    return removed === 1;
  }

  /** Every config, or one function's, in name then qualifier order. */
  async list(functionName?: string): Promise<ProvisionedConfig[]> {
    const all = await this.redis.hgetall(this.configsKey);
    return Object.keys(all)
      .filter((k) => functionName === undefined || k.startsWith(`${functionName}:`))
      .sort()
      .map((k) => JSON.parse(all[k] ?? '{}') as ProvisionedConfig);
  }

  async getProgress(
    functionName: string,
    qualifier: string,
  ): Promise<ProvisionedProgress | undefined> {
    const raw = await this.redis.hget(this.progressKey, field(functionName, qualifier));
    return raw === null ? undefined : (JSON.parse(raw) as ProvisionedProgress);
  }

  async putProgress(
    functionName: string,
    qualifier: string,
    progress: ProvisionedProgress,
  ): Promise<void> {
    await this.redis.hset(
      this.progressKey,
      field(functionName, qualifier),
      JSON.stringify(progress),
    );
  }

  /**
   * Take or keep the provisioning lock for `ttlMs`; true while `holder` has it. Its holder plans
   * which worker keeps how many environments (provisioned-assignment.ts), so there is exactly
   * one plan however many workers run.
   */
  async holdLock(holder: string, ttlMs: number): Promise<boolean> {
    const taken = await this.redis.set(this.lockKey, holder, 'PX', ttlMs, 'NX');
    if (taken === 'OK') return true;
    if ((await this.redis.get(this.lockKey)) !== holder) return false;
    await this.redis.pexpire(this.lockKey, ttlMs);
    return true;
  }
}
