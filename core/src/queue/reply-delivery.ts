/**
 * @module
 * A sync reply's delivery as one command: release the caller's concurrency lease, keep the
 * reply's copy (reply-copies.ts), publish it on the caller's channel. Redis runs the three in
 * that order, so a caller who invokes again as soon as it has the reply never meets its own old
 * lease, and the copy is there whenever the reply is. One script instead of three commands: the
 * worker sends it once per invocation, and each command costs its client as much as the work.
 * The copy is written with `pcall`: a copy Redis refuses (out of memory) does not hold back the
 * reply, which the caller is waiting for.
 */
import type { Redis } from 'ioredis';
import type { ConcurrencyLeases } from '../concurrency/concurrency-leases.js';
import type { RedisKeys } from '../registry/keys.js';
import { luaScript } from '../redis/lua-script.js';
import { copyTtlMs } from './reply-copies.js';

/**
 * KEYS: the copy, then the lease's two keys when there is a lease. ARGV: the frame, the copy's
 * TTL (ms), the channel, then the lease id. Answers `{receivers, copied}`: how many subscribers
 * had the reply, and 1 when the copy was kept.
 */
const DELIVER = luaScript(`
if #KEYS == 3 then
  redis.call('ZREM', KEYS[2], ARGV[4])
  redis.call('ZREM', KEYS[3], ARGV[4])
end
local kept = redis.pcall('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
local copied = 0
if type(kept) == 'table' and kept.ok then copied = 1 end
return {redis.call('PUBLISH', ARGV[3], ARGV[1]), copied}
`);

export interface Delivery {
  /** The caller's reply channel. */
  channel: string;
  /** The job the reply answers: its copy is kept under this id. */
  jobId: string;
  /** The encoded reply (reply-codec.ts). */
  frame: Buffer;
  /** The caller's `replyDeadline` (epoch ms): the copy lives until then plus the margin. */
  deadline: number | undefined;
  /** The lease the caller took for this invocation, released first. */
  lease?: { functionName: string; leaseId: string };
}

export interface ReplyDelivery {
  /** Resolves whether the copy was kept; rejects only when the command itself failed. */
  deliver(delivery: Delivery): Promise<{ copied: boolean }>;
}

export function createReplyDelivery(
  redis: Redis,
  keys: Pick<RedisKeys, 'replyCopy'>,
  leases: Pick<ConcurrencyLeases, 'releaseInput'>,
  now: () => number = Date.now,
): ReplyDelivery {
  return {
    async deliver({ channel, jobId, frame, deadline, lease }) {
      const args: Array<string | number | Buffer> = [frame, copyTtlMs(deadline, now()), channel];
      const copy = keys.replyCopy(jobId);
      let answer: unknown;
      if (lease === undefined) {
        answer = await DELIVER.run(redis, [copy], args);
      } else {
        const release = leases.releaseInput(lease.functionName, lease.leaseId);
        answer = await DELIVER.run(redis, [copy, ...release.keys], [...args, ...release.args]);
      }
      const [, copied] = answer as [number, number];
      return { copied: copied === 1 };
    },
  };
}
