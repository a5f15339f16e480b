/**
 * @module
 * Copies of sync replies. Pub/sub delivers at most once: a reply published while its sender's
 * subscription was down is gone. So the worker also keeps the frame it published under the
 * job's id until the sender has stopped waiting, and a sender whose wait ended without a reply
 * reads it there. The job itself is removed when it completes: the copy holds only the reply,
 * not the event, and lives only as long as someone may ask for it.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../registry/keys.js';
import { decodeReply, type Reply } from './reply-codec.js';

/**
 * Kept this long past the sender's deadline: its read comes just after the deadline, bounded by
 * the Redis timeout, and hosts' clocks differ a little.
 */
export const REPLY_COPY_MARGIN_MS = 10_000;
/** A job without a deadline (none is sent so): as long as BullMQ used to keep its result. */
export const REPLY_COPY_UNDATED_MS = 60_000;

export interface ReplyCopies {
  /** The reply kept for `jobId`, or `undefined` when none is (never kept, or expired). */
  read(jobId: string): Promise<Reply | undefined>;
}

/** How long a copy is kept, in ms, from `now`. */
export function copyTtlMs(deadline: number | undefined, now: number): number {
  if (deadline === undefined) return REPLY_COPY_UNDATED_MS;
  return Math.max(0, Math.ceil(deadline - now)) + REPLY_COPY_MARGIN_MS;
}

/** Copies are written with the reply they copy (reply-delivery.ts); this reads them. */
export function createReplyCopies(
  redis: Pick<Redis, 'getBuffer'>,
  keys: Pick<RedisKeys, 'replyCopy'>,
): ReplyCopies {
  return {
    async read(jobId) {
      const frame = await redis.getBuffer(keys.replyCopy(jobId));
      return frame === null ? undefined : decodeReply(frame);
    },
  };
}
