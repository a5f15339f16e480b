/**
 * @module
 * Resource-based policies (AddPermission's statements) in Redis: one hash per function, a field
 * per qualifier (`""` for the function itself), each a JSON `ResourcePolicy`. Changes are
 * compare-and-set (Lua) so two gateways adding statements at once never lose one, and are
 * refused once the function, version or alias is gone: a statement added while it is being
 * deleted is not left behind under its name. (One made again under the same name in between
 * would take the statement: the check is of the name, not of the instance.)
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import { AppError, ERRORS } from '../errors.js';
import { isVersionNumber } from './resolve-qualifier.js';
import { luaScript } from '../redis/lua-script.js';
import type { RedisKeys } from './keys.js';

/** One statement as AWS renders it (keys in AWS's order). */
export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Principal: string | Record<string, string>;
  Action: string;
  Resource: string;
  Condition?: Record<string, Record<string, string>>;
}

export interface ResourcePolicy {
  /** Changes with every added or removed statement. */
  revisionId: string;
  statements: PolicyStatement[];
}

const ATTEMPTS = 64;

export interface PolicySwap {
  /** The stored policy's JSON, or '' when there is none. */
  read(): Promise<string>;
  /** Store `nextRaw` ('' = none) if the policy is still `raw`: 1 done, 0 changed, -1 owner gone. */
  swap(raw: string, nextRaw: string): Promise<unknown>;
  /** The error when what the policy is of is gone. */
  notFound(): AppError;
  /** Named in the error when concurrent changes keep winning. */
  subject: string;
}

/**
 * Apply `change` to a stored policy by compare-and-set, retried with a growing random pause
 * while other writers win: it gets the policy (or undefined), answers the next (undefined, or
 * no statements: none) and may throw an AppError to refuse. Returns what was stored.
 */
export async function changePolicy(
  store: PolicySwap,
  change: (current: ResourcePolicy | undefined) => ResourcePolicy | undefined,
): Promise<ResourcePolicy | undefined> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const raw = await store.read();
    const next = change(raw === '' ? undefined : (JSON.parse(raw) as ResourcePolicy));
    const nextRaw = next === undefined || next.statements.length === 0 ? '' : JSON.stringify(next);
    const swapped = await store.swap(raw, nextRaw);
    if (swapped === 1) return nextRaw === '' ? undefined : next;
    if (swapped === -1) throw store.notFound();
    await sleep(Math.random() * 4 * (attempt + 1));
  }
  throw new AppError(
    ERRORS.FUNCTION_CONFLICT,
    `Too many concurrent policy changes of ${store.subject}; retry.`,
  );
}

/**
 * Field ARGV[1] of hash KEYS[1]: from ARGV[2] ('' = absent) to ARGV[3] ('' = removed), while
 * KEYS[2] exists (its field ARGV[4], when given). Answers 1 (swapped), 0 (changed meanwhile) or
 * -1 (what the policy is of is gone).
 */
const SWAP_FIELD = luaScript(`
local owner
if ARGV[4] then owner = redis.call('HEXISTS', KEYS[2], ARGV[4]) else owner = redis.call('EXISTS', KEYS[2]) end
if owner == 0 then return -1 end
local current = redis.call('HGET', KEYS[1], ARGV[1]) or ''
if current ~= ARGV[2] then return 0 end
if ARGV[3] == '' then redis.call('HDEL', KEYS[1], ARGV[1]) else redis.call('HSET', KEYS[1], ARGV[1], ARGV[3]) end
return 1
`);

export class PolicyStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: Pick<RedisKeys, 'policies' | 'function' | 'functionVersion' | 'aliases'>,
  ) {}

  /** The key (and field) that holds what the policy is of. */
  private owner(name: string, qualifier: string): { keys: [string]; args: string[] } {
    if (qualifier === '') return { keys: [this.keys.function(name)], args: [] };
    if (isVersionNumber(qualifier))
      return { keys: [this.keys.functionVersion(name, qualifier)], args: [] };
    return { keys: [this.keys.aliases(name)], args: [qualifier] };
  }

  async get(name: string, qualifier: string): Promise<ResourcePolicy | undefined> {
    const raw = await this.redis.hget(this.keys.policies(name), qualifier);
    return raw === null ? undefined : (JSON.parse(raw) as ResourcePolicy);
  }

  /**
   * Apply `change` atomically: it gets the policy (or undefined) and answers the next one
   * (undefined: none left). It may throw an AppError to refuse. Returns what was stored.
   */
  async update(
    name: string,
    qualifier: string,
    change: (current: ResourcePolicy | undefined) => ResourcePolicy | undefined,
  ): Promise<ResourcePolicy | undefined> {
    const key = this.keys.policies(name);
    const owner = this.owner(name, qualifier);
    return changePolicy(
      {
        read: async () => (await this.redis.hget(key, qualifier)) ?? '',
        swap: (raw, nextRaw) =>
          SWAP_FIELD.run(
            this.redis,
            [key, ...owner.keys],
            [qualifier, raw, nextRaw, ...owner.args],
          ),
        notFound: () =>
          new AppError(ERRORS.RESOURCE_NOT_FOUND, 'The resource you requested does not exist.'),
        subject: name,
      },
      change,
    );
  }

  /** The policy of one version or alias (its statements name it). */
  async delete(name: string, qualifier: string): Promise<void> {
    await this.redis.hdel(this.keys.policies(name), qualifier);
  }

  /** Every policy of a function, when the function goes. */
  async deleteAll(name: string): Promise<void> {
    await this.redis.del(this.keys.policies(name));
  }
}
