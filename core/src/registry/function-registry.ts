/**
 * @module
 * Function definitions and code in Redis, so every gateway and worker sees one state.
 * Records are JSON strings; names sit in a sorted set for stable paging; zip code is stored
 * once per content address (hex SHA-256). Updates are optimistic compare-and-set (Lua), so
 * two gateways updating the same function never lose a write.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { AppError, ERRORS } from '../errors.js';
import type { FunctionRecord } from '../model/function-record.js';
import { luaScript } from '../redis/lua-script.js';
import type { RedisKeys } from './keys.js';

export interface ListPage {
  items: FunctionRecord[];
  nextMarker?: string;
}

/** Tries before an optimistic update gives up; each round lets at least one writer win. */
const UPDATE_ATTEMPTS = 64;

const CAS = luaScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2])
  return 1
end
return 0
`);

export class FunctionRegistry {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** Store a new function and, for zip functions, its code. Fails if the name is taken. */
  async create(record: FunctionRecord, code?: Buffer): Promise<void> {
    if (code !== undefined && record.codeKey !== undefined) {
      // Content-addressed: writing the same bytes twice is harmless.
      await this.redis.set(this.keys.code(record.codeKey), code);
    }
    const created = await this.redis.set(
      this.keys.function(record.name),
      JSON.stringify(record),
      'NX',
    );
    if (created !== 'OK') {
      throw new AppError(ERRORS.FUNCTION_EXISTS, `Function already exist: ${record.name}`);
    }
    await this.redis.zadd(this.keys.functionNames, 0, record.name);
  }

  async get(name: string): Promise<FunctionRecord | undefined> {
    const raw = await this.redis.get(this.keys.function(name));
    return raw === null ? undefined : (JSON.parse(raw) as FunctionRecord);
  }

  /** One page of functions in name order, starting after `marker` (an opaque name). */
  async list(maxItems: number, marker?: string): Promise<ListPage> {
    const start = marker === undefined ? '-' : `(${marker}`;
    const names = await this.redis.zrangebylex(
      this.keys.functionNames,
      start,
      '+',
      'LIMIT',
      0,
      maxItems + 1,
    );
    const pageNames = names.slice(0, maxItems);
    const raws =
      pageNames.length > 0
        ? await this.redis.mget(pageNames.map((n) => this.keys.function(n)))
        : [];
    const items = raws
      .filter((raw): raw is string => raw !== null)
      .map((raw) => JSON.parse(raw) as FunctionRecord);
    const last = pageNames[pageNames.length - 1];
    return names.length > maxItems && last !== undefined ? { items, nextMarker: last } : { items };
  }

  /**
   * Apply `mutate` to the current record atomically. `mutate` may throw an AppError to refuse
   * (precondition, conflict). Returns the stored result.
   */
  async update(
    name: string,
    mutate: (current: FunctionRecord) => FunctionRecord,
    code?: { key: string; bytes: Buffer },
  ): Promise<FunctionRecord> {
    if (code !== undefined) await this.redis.set(this.keys.code(code.key), code.bytes);
    const key = this.keys.function(name);
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const raw = await this.redis.get(key);
      if (raw === null) {
        throw new AppError(ERRORS.FUNCTION_NOT_FOUND, `Function not found: ${name}`);
      }
      const next = mutate(JSON.parse(raw) as FunctionRecord);
      // Compare-and-set in Lua rather than WATCH: WATCH belongs to a connection, and this
      // client is shared by concurrent requests.
      const swapped = await CAS.run(this.redis, [key], [raw, JSON.stringify(next)]);
      if (swapped === 1) return next;
      await sleep(Math.random() * 4 * (attempt + 1));
    }
    throw new AppError(ERRORS.FUNCTION_CONFLICT, `Too many concurrent updates of ${name}; retry.`);
  }

  /** Remove a function; returns false when it did not exist. */
  async delete(name: string): Promise<boolean> {
    const [[, removed] = [null, 0]] =
      (await this.redis
        .multi()
        .del(this.keys.function(name))
        .zrem(this.keys.functionNames, name)
        .hdel(this.keys.reservedConcurrency, name)
        .exec()) ?? [];
    return removed === 1;
  }

  async getCode(hexSha: string): Promise<Buffer | undefined> {
    const bytes = await this.redis.getBuffer(this.keys.code(hexSha));
    return bytes ?? undefined;
  }

  async count(): Promise<number> {
    return this.redis.zcard(this.keys.functionNames);
  }

  async getReservedConcurrency(name: string): Promise<number | undefined> {
    const raw = await this.redis.hget(this.keys.reservedConcurrency, name);
    return raw === null ? undefined : Number(raw);
  }

  async putReservedConcurrency(name: string, value: number): Promise<void> {
    await this.redis.hset(this.keys.reservedConcurrency, name, String(value));
  }

  async deleteReservedConcurrency(name: string): Promise<void> {
    await this.redis.hdel(this.keys.reservedConcurrency, name);
  }

  /** Sum of all reservations, for the unreserved account pool. */
  async totalReserved(): Promise<number> {
    const values = await this.redis.hvals(this.keys.reservedConcurrency);
    return values.reduce((sum, v) => sum + Number(v), 0);
  }
}
