/**
 * @module
 * Event-source configuration in Redis: HTTP routes, function URLs, schedules, storage webhooks
 * and their triggers. Each kind is one hash (id → JSON record); every change also bumps one
 * shared version counter in the same transaction, so every gateway and scheduler replica can
 * tell with a single GET that its cached view is stale and reload it, without a restart.
 */
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { RedisKeys } from '../registry/keys.js';

export const SOURCE_KINDS = Object.freeze([
  'routes',
  'urls',
  'schedules',
  'webhooks',
  'triggers',
] as const);
export type SourceKind = (typeof SOURCE_KINDS)[number];

/** Replace a field only while it still holds what the caller read (optimistic update). */
const REPLACE = luaScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('INCR', KEYS[2])
return 1
`);

const CREATE = luaScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
redis.call('INCR', KEYS[2])
return 1
`);

const REMOVE = luaScript(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('INCR', KEYS[2])
return 1
`);

export class SourceStore<T> {
  private readonly hash: string;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    readonly kind: SourceKind,
  ) {
    this.hash = keys.sources(kind);
  }

  async get(id: string): Promise<T | undefined> {
    const raw = await this.redis.hget(this.hash, id);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  /** Every record, in id order. */
  async list(): Promise<T[]> {
    const all = await this.redis.hgetall(this.hash);
    return Object.keys(all)
      .sort()
      .map((id) => JSON.parse(all[id] as string) as T);
  }

  /** Store a new record; false when the id is taken. */
  async create(id: string, value: T): Promise<boolean> {
    const done = await CREATE.run(
      this.redis,
      [this.hash, this.keys.sourcesVersion],
      [id, JSON.stringify(value)],
    );
    return done === 1;
  }

  /**
   * Change a record with `change` (retried when another writer got there first). Resolves the
   * new record, or undefined when there is no such record; `change` may throw to refuse.
   */
  async update(id: string, change: (current: T) => T): Promise<T | undefined> {
    for (let attempt = 0; attempt < 32; attempt += 1) {
      const raw = await this.redis.hget(this.hash, id);
      if (raw === null) return undefined;
      const next = change(JSON.parse(raw) as T);
      const done = await REPLACE.run(
        this.redis,
        [this.hash, this.keys.sourcesVersion],
        [id, raw, JSON.stringify(next)],
      );
      if (done === 1) return next;
    }
    throw new Error(`${this.kind} ${id}: too many concurrent updates`);
  }

  /** Create or overwrite (declarative apply). */
  async put(id: string, value: T): Promise<void> {
    await this.redis
      .multi()
      .hset(this.hash, id, JSON.stringify(value))
      .incr(this.keys.sourcesVersion)
      .exec();
  }

  /** False when there was nothing to delete. */
  async delete(id: string): Promise<boolean> {
    const done = await REMOVE.run(this.redis, [this.hash, this.keys.sourcesVersion], [id]);
    return done === 1;
  }
}

/** The shared change counter: equal values mean nothing changed in between. */
export async function sourcesVersion(redis: Redis, keys: RedisKeys): Promise<number> {
  return Number((await redis.get(keys.sourcesVersion)) ?? 0);
}
