/**
 * @module
 * The gateway's ReplyWaiter: core's channel waiter (one subscription per gateway on its own
 * reply channel, see core `createReplyWaiter`) with what happens on the way logged here.
 */
import type { Redis } from 'ioredis';
import { createReplyWaiter, type ChannelReplyWaiter, type Logger } from '@lambdock/core';
import type { ReplyWaiter } from '../deps.js';

export interface RedisReplyWaiter extends ReplyWaiter, ChannelReplyWaiter {}

/** Subscribes at once, without waiting: a gateway starts (not ready) while Redis is away. */
export function createRedisReplyWaiter(
  subscriber: Redis,
  channel: string,
  logger: Logger,
): RedisReplyWaiter {
  return createReplyWaiter(subscriber, channel, {
    malformed: (err) => logger.warn({ err }, 'dropped a malformed reply frame'),
    late: (requestId) => logger.debug({ requestId }, 'reply arrived after its caller left'),
    subscribeFailed: (err) =>
      logger.error({ err, channel }, 'could not subscribe to the reply channel'),
  });
}
