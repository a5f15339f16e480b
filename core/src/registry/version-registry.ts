/**
 * @module
 * Published versions and aliases of functions. A version is an immutable snapshot of `$LATEST`
 * (code and configuration) under the next number; numbers are never reused. Publishing when
 * nothing changed since the newest version returns that version, as AWS does. Aliases point at
 * a version (or `$LATEST`) and may send a share of invocations to one more version. Invocations
 * resolve a qualifier here to the record that runs and the version reported as executed.
 */
import type { Redis } from 'ioredis';
import type { AliasRecord } from '../model/alias-record.js';
import type { FunctionRecord } from '../model/function-record.js';
import { luaScript } from '../redis/lua-script.js';
import type { RedisKeys } from './keys.js';
import { resolveQualifier, type QualifierLookups, type Resolved } from './resolve-qualifier.js';

export type { Resolved } from './resolve-qualifier.js';

/** Fields that say what runs; the rest (ids, times, states, tags, description) do not. */
const NOT_CONTENT = new Set([
  'name',
  'description',
  'revisionId',
  'lastModified',
  'state',
  'stateReason',
  'stateReasonCode',
  'lastUpdateStatus',
  'lastUpdateStatusReason',
  'lastUpdateStatusReasonCode',
  'generation',
  'version',
  'tags',
  'recursiveLoop',
  // Derived from the code (CodeSha256 says what it is); kept only by newer records.
  'codeUnzippedSize',
]);

/** Equal for two records that would run the same code with the same configuration. */
export function contentDigest(record: FunctionRecord): string {
  const entries = Object.entries(record)
    .filter(([key]) => !NOT_CONTENT.has(key))
    .sort(([a], [b]) => a.localeCompare(b));
  return JSON.stringify(entries);
}

const REPLACE_FIELD = luaScript(`
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

export interface PublishOptions {
  description?: string;
  revisionId: string;
  lastModified: string;
}

export class VersionRegistry implements QualifierLookups {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async getVersion(name: string, version: string): Promise<FunctionRecord | undefined> {
    const raw = await this.redis.get(this.keys.functionVersion(name, version));
    return raw === null ? undefined : (JSON.parse(raw) as FunctionRecord);
  }

  /** Published versions, oldest first. */
  async listVersions(name: string): Promise<FunctionRecord[]> {
    const numbers = await this.redis.zrange(this.keys.functionVersions(name), 0, -1);
    if (numbers.length === 0) return [];
    const raws = await this.redis.mget(numbers.map((n) => this.keys.functionVersion(name, n)));
    return raws.filter((r): r is string => r !== null).map((r) => JSON.parse(r) as FunctionRecord);
  }

  /** Snapshot `latest` as a new version, or return the newest one when nothing changed. */
  async publish(
    latest: FunctionRecord,
    options: PublishOptions,
  ): Promise<{ record: FunctionRecord; created: boolean }> {
    const { name } = latest;
    const newest = await this.redis.zrange(this.keys.functionVersions(name), -1, -1);
    if (newest[0] !== undefined) {
      const previous = await this.getVersion(name, newest[0]);
      if (previous !== undefined && contentDigest(previous) === contentDigest(latest))
        return { record: previous, created: false };
    }
    const number = await this.redis.incr(this.keys.versionCounter(name));
    const version = String(number);
    const record: FunctionRecord = {
      ...latest,
      version,
      description: options.description ?? latest.description,
      revisionId: options.revisionId,
      lastModified: options.lastModified,
      state: 'Active',
      lastUpdateStatus: 'Successful',
    };
    await this.redis
      .multi()
      .set(this.keys.functionVersion(name, version), JSON.stringify(record))
      .zadd(this.keys.functionVersions(name), number, version)
      .exec();
    return { record, created: true };
  }

  async deleteVersion(name: string, version: string): Promise<boolean> {
    const [[, removed] = [null, 0]] =
      (await this.redis
        .multi()
        .del(this.keys.functionVersion(name, version))
        .zrem(this.keys.functionVersions(name), version)
        .exec()) ?? [];
    return removed === 1;
  }

  /** Everything but `$LATEST`: called when the function itself is deleted. */
  async deleteAll(name: string): Promise<void> {
    const numbers = await this.redis.zrange(this.keys.functionVersions(name), 0, -1);
    await this.redis.del(
      ...numbers.map((n) => this.keys.functionVersion(name, n)),
      this.keys.functionVersions(name),
      this.keys.versionCounter(name),
      this.keys.aliases(name),
    );
  }

  async getAlias(name: string, alias: string): Promise<AliasRecord | undefined> {
    const raw = await this.redis.hget(this.keys.aliases(name), alias);
    return raw === null ? undefined : (JSON.parse(raw) as AliasRecord);
  }

  async listAliases(name: string): Promise<AliasRecord[]> {
    const all = await this.redis.hgetall(this.keys.aliases(name));
    return Object.keys(all)
      .sort()
      .map((k) => JSON.parse(all[k] as string) as AliasRecord);
  }

  /** False when the alias exists already. */
  async createAlias(alias: AliasRecord): Promise<boolean> {
    const done = await this.redis.hsetnx(
      this.keys.aliases(alias.functionName),
      alias.name,
      JSON.stringify(alias),
    );
    return done === 1;
  }

  /** Change an alias atomically; undefined when it does not exist. `change` may throw. */
  async updateAlias(
    name: string,
    alias: string,
    change: (current: AliasRecord) => AliasRecord,
  ): Promise<AliasRecord | undefined> {
    for (let attempt = 0; attempt < 32; attempt += 1) {
      const raw = await this.redis.hget(this.keys.aliases(name), alias);
      if (raw === null) return undefined;
      const next = change(JSON.parse(raw) as AliasRecord);
      const done = await REPLACE_FIELD.run(
        this.redis,
        [this.keys.aliases(name)],
        [alias, raw, JSON.stringify(next)],
      );
      if (done === 1) return next;
    }
    throw new Error(`alias ${name}:${alias}: too many concurrent updates`);
  }

  async deleteAlias(name: string, alias: string): Promise<boolean> {
    return (await this.redis.hdel(this.keys.aliases(name), alias)) === 1;
  }

  /**
   * The record an invocation of `qualifier` runs: `$LATEST` (or none), a version number, or
   * an alias (a weighted alias picks with `random`). Undefined when it names nothing.
   */
  async resolve(
    latest: () => Promise<FunctionRecord | undefined>,
    name: string,
    qualifier: string | undefined,
    random: () => number = Math.random,
  ): Promise<Resolved | undefined> {
    return resolveQualifier(this, latest, name, qualifier, random);
  }
}
