/**
 * @module
 * Layer versions in Redis. A version is published once under the layer's next number (numbers
 * are never reused, as in AWS) and never changes; its zip is stored under the same content
 * address as function code, and stays when the version is deleted: functions that use it keep
 * running, as AWS's do. A layer is listed while it has a version. Each version may carry a
 * resource-based policy (AddLayerVersionPermission), changed compare-and-set and only while
 * the version exists.
 */
import type { Redis } from 'ioredis';
import type { AppError } from '../errors.js';
import type { LayerVersionRecord } from '../model/layer-record.js';
import { luaScript } from '../redis/lua-script.js';
import { changePolicy, type PolicyStatement, type ResourcePolicy } from './policy-store.js';
import type { RedisKeys } from './keys.js';

type LayerKeys = Pick<
  RedisKeys,
  'code' | 'layerVersion' | 'layerVersions' | 'layerCounter' | 'layerNames' | 'layerPolicy'
>;

/** What a publish stores: the record but its number, which the store hands out. */
export type NewLayerVersion = Omit<LayerVersionRecord, 'version'>;

/**
 * Remove version ARGV[1] (KEYS[1] its record, KEYS[4] its policy) from the layer's set KEYS[2];
 * drop the name from KEYS[3] when it was the last. Answers 1 when the version existed.
 */
const DELETE_VERSION = luaScript(`
local removed = redis.call('DEL', KEYS[1])
redis.call('DEL', KEYS[4])
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('ZREM', KEYS[3], ARGV[2]) end
return removed
`);

/**
 * The policy at KEYS[1]: from ARGV[1] ('' = none) to ARGV[2] ('' = none), while the version
 * KEYS[2] exists. Answers 1 (swapped), 0 (changed meanwhile) or -1 (the version is gone).
 */
const SWAP_POLICY = luaScript(`
if redis.call('EXISTS', KEYS[2]) == 0 then return -1 end
local current = redis.call('GET', KEYS[1]) or ''
if current ~= ARGV[1] then return 0 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) else redis.call('SET', KEYS[1], ARGV[2]) end
return 1
`);

export type { PolicyStatement, ResourcePolicy };

export class LayerStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: LayerKeys,
  ) {}

  /** Store the zip and the record under the layer's next number. */
  async publish(layer: NewLayerVersion, code: Buffer): Promise<LayerVersionRecord> {
    const { layerName } = layer;
    const version = await this.redis.incr(this.keys.layerCounter(layerName));
    const record: LayerVersionRecord = { ...layer, version };
    await this.redis
      .multi()
      .set(this.keys.code(layer.codeKey), code)
      .set(this.keys.layerVersion(layerName, version), JSON.stringify(record))
      .zadd(this.keys.layerVersions(layerName), version, String(version))
      .zadd(this.keys.layerNames, 0, layerName)
      .exec();
    return record;
  }

  async get(layerName: string, version: number): Promise<LayerVersionRecord | undefined> {
    const raw = await this.redis.get(this.keys.layerVersion(layerName, version));
    return raw === null ? undefined : (JSON.parse(raw) as LayerVersionRecord);
  }

  /** The versions of one layer that exist, newest first (AWS's order). */
  async listVersions(layerName: string): Promise<LayerVersionRecord[]> {
    const numbers = await this.redis.zrevrange(this.keys.layerVersions(layerName), 0, -1);
    if (numbers.length === 0) return [];
    const raws = await this.redis.mget(
      numbers.map((n) => this.keys.layerVersion(layerName, Number(n))),
    );
    return raws
      .filter((r): r is string => r !== null)
      .map((r) => JSON.parse(r) as LayerVersionRecord);
  }

  /** Names of the layers that have a version, in order. */
  async names(): Promise<string[]> {
    return this.redis.zrange(this.keys.layerNames, 0, -1);
  }

  /** False when there was no such version. The zip stays: functions may still use it. */
  async delete(layerName: string, version: number): Promise<boolean> {
    const removed = await DELETE_VERSION.run(
      this.redis,
      [
        this.keys.layerVersion(layerName, version),
        this.keys.layerVersions(layerName),
        this.keys.layerNames,
        this.keys.layerPolicy(layerName, version),
      ],
      [String(version), layerName],
    );
    return removed === 1;
  }

  async getPolicy(layerName: string, version: number): Promise<ResourcePolicy | undefined> {
    const raw = await this.redis.get(this.keys.layerPolicy(layerName, version));
    return raw === null ? undefined : (JSON.parse(raw) as ResourcePolicy);
  }

  /**
   * Apply `change` atomically (policy-store.ts's changePolicy). A version deleted meanwhile
   * answers `notFound`.
   */
  async updatePolicy(
    layerName: string,
    version: number,
    change: (current: ResourcePolicy | undefined) => ResourcePolicy | undefined,
    notFound: () => AppError,
  ): Promise<ResourcePolicy | undefined> {
    const key = this.keys.layerPolicy(layerName, version);
    const owner = this.keys.layerVersion(layerName, version);
    return changePolicy(
      {
        read: async () => (await this.redis.get(key)) ?? '',
        swap: (raw, nextRaw) => SWAP_POLICY.run(this.redis, [key, owner], [raw, nextRaw]),
        notFound,
        subject: `layer ${layerName}`,
      },
      change,
    );
  }
}
