/**
 * @module
 * Provisioned concurrency configs in Redis: one hash of configs (written by the gateway) and
 * one of progress (written by the lock holder), both keyed `name:qualifier`, plus the lock that
 * says which worker plans provisioning. Function names and qualifiers never contain `:`.
 */
import type { Redis } from 'ioredis';
import type { ProvisionedConfig, ProvisionedProgress } from './provisioned-config.js';

const field = (functionName: string, qualifier: string): string => `${functionName}:${qualifier}`;

export class ProvisionedConcurrencyStore {
  private readonly configsKey: string;
  private readonly progressKey: string;
  private readonly lockKey: string;

  constructor(
    private readonly redis: Redis,
    prefix: string,
  ) {
    this.configsKey = `${prefix}:pc:configs`;
    this.progressKey = `${prefix}:pc:progress`;
    this.lockKey = `${prefix}:pc:lock`;
  }

  async get(functionName: string, qualifier: string): Promise<ProvisionedConfig | undefined> {
    const raw = await this.redis.hget(this.configsKey, field(functionName, qualifier));
    return raw === null ? undefined : (JSON.parse(raw) as ProvisionedConfig);
  }

  async put(config: ProvisionedConfig): Promise<void> {
    await this.redis.hset(
      this.configsKey,
      field(config.functionName, config.qualifier),
      JSON.stringify(config),
    );
  }

  /** False when there was no config for that qualifier. */
  async delete(functionName: string, qualifier: string): Promise<boolean> {
    const key = field(functionName, qualifier);
    const [removed] = await Promise.all([
      this.redis.hdel(this.configsKey, key),
      this.redis.hdel(this.progressKey, key),
    ]);
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
