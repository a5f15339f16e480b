/**
 * @module
 * Event invoke configs in Redis: one hash per function, one field per qualifier. Put replaces
 * a field whole (merging for UpdateFunctionEventInvokeConfig happens before, in the gateway);
 * deleting a function drops its hash.
 */
import type { Redis } from 'ioredis';
import type { EventInvokeConfig } from './event-invoke-config.js';
import type { AsyncKeys } from './keys.js';

export class EventInvokeConfigStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: AsyncKeys,
  ) {}

  async get(functionName: string, qualifier: string): Promise<EventInvokeConfig | undefined> {
    const raw = await this.redis.hget(this.keys.eventInvokeConfigs(functionName), qualifier);
    return raw === null ? undefined : (JSON.parse(raw) as EventInvokeConfig);
  }

  async put(config: EventInvokeConfig): Promise<void> {
    await this.redis.hset(
      this.keys.eventInvokeConfigs(config.functionName),
      config.qualifier,
      JSON.stringify(config),
    );
  }

  /** Every config of a function, in qualifier order. */
  async list(functionName: string): Promise<EventInvokeConfig[]> {
    const all = await this.redis.hgetall(this.keys.eventInvokeConfigs(functionName));
    return Object.keys(all)
      .sort()
      .map((qualifier) => JSON.parse(all[qualifier] ?? '{}') as EventInvokeConfig);
  }

  /** False when there was no config for that qualifier. */
  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.eventInvokeConfigs(functionName), qualifier)) === 1;
  }

  async deleteAll(functionName: string): Promise<void> {
    await this.redis.del(this.keys.eventInvokeConfigs(functionName));
  }
}
