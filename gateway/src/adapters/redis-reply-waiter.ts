/**
 * @module
 * ReplyWaiter on Redis pub/sub (ARCHITECTURE decision 2): one subscription per gateway on its
 * own channel; workers publish `encodeReply(header, payload)` there. Waiters are keyed by
 * request id; a reply nobody waits for (caller gone, timed out) is dropped.
 */
import type { Redis } from 'ioredis';
import { decodeReply, type Logger, type Reply } from '@lambdock/core';
import type { ReplyWaiter } from '../deps.js';

export interface RedisReplyWaiter extends ReplyWaiter {
  /** Waiting requests, for diagnostics and tests. */
  pending(): number;
  /** True once the channel subscription is in place (ioredis renews it after reconnects). */
  isSubscribed(): boolean;
  close(): Promise<void>;
}

type Settle = (reply: Reply | undefined) => void;
/** Several waiters per id only when a caller reuses a request id; all get the one reply. */
type Waiters = Map<string, Set<Settle>>;

function createDispatcher(channel: string, waiters: Waiters, logger: Logger) {
  return (from: Buffer, message: Buffer): void => {
    if (from.toString() !== channel) return;
    let reply: Reply;
    try {
      reply = decodeReply(message);
    } catch (err) {
      logger.warn({ err }, 'dropped a malformed reply frame');
      return;
    }
    const settles = waiters.get(reply.header.requestId);
    if (settles === undefined) {
      logger.debug({ requestId: reply.header.requestId }, 'reply arrived after its caller left');
      return;
    }
    for (const settle of [...settles]) settle(reply);
  };
}

function waitFor(waiters: Waiters, requestId: string, timeoutMs: number, signal?: AbortSignal) {
  return new Promise<Reply | undefined>((resolve) => {
    const settles = waiters.get(requestId) ?? new Set<Settle>();
    const settle: Settle = (reply) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settles.delete(settle);
      if (settles.size === 0) waiters.delete(requestId);
      resolve(reply);
    };
    const onAbort = (): void => settle(undefined);
    const timer = setTimeout(onAbort, timeoutMs);
    settles.add(settle);
    waiters.set(requestId, settles);
    if (signal?.aborted === true) settle(undefined);
    else signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Subscribes at once, without waiting: a gateway starts (not ready) while Redis is away. */
export function createRedisReplyWaiter(
  subscriber: Redis,
  channel: string,
  logger: Logger,
): RedisReplyWaiter {
  const waiters: Waiters = new Map();
  const onMessage = createDispatcher(channel, waiters, logger);
  subscriber.on('messageBuffer', onMessage);
  let subscribed = false;
  subscriber.subscribe(channel).then(
    () => {
      subscribed = true;
    },
    (err: unknown) => logger.error({ err, channel }, 'could not subscribe to the reply channel'),
  );
  return {
    pending: () => waiters.size,
    isSubscribed: () => subscribed,
    wait: (requestId, timeoutMs, signal) => waitFor(waiters, requestId, timeoutMs, signal),
    async close() {
      subscriber.off('messageBuffer', onMessage);
      for (const settles of waiters.values()) for (const settle of [...settles]) settle(undefined);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
