/**
 * @module
 * ReplyWaiter on Redis pub/sub (ARCHITECTURE decision 2): one subscription per gateway on its
 * own channel; workers publish `encodeReply(header, payload)` there. Waiters are keyed by
 * request id; a reply nobody waits for (caller gone, timed out) is dropped. Chunks of a streamed
 * response go to the waiter's chunk listener as they arrive.
 */
import type { Redis } from 'ioredis';
import {
  decodeFrame,
  type Logger,
  type Reply,
  type ReplyChunk,
  type ReplyFrame,
} from '@lambdock/core';
import type { ReplyWaiter } from '../deps.js';

export interface RedisReplyWaiter extends ReplyWaiter {
  /** Waiting requests, for diagnostics and tests. */
  pending(): number;
  /** True once the channel subscription is in place (ioredis renews it after reconnects). */
  isSubscribed(): boolean;
  close(): Promise<void>;
}

type Settle = ((reply: Reply | undefined) => void) & { onChunk?: (chunk: ReplyChunk) => void };
/** Several waiters per id only when a caller reuses a request id; all get the one reply. */
type Waiters = Map<string, Set<Settle>>;

function createDispatcher(channel: string, waiters: Waiters, logger: Logger) {
  return (from: Buffer, message: Buffer): void => {
    if (from.toString() !== channel) return;
    let frame: ReplyFrame;
    try {
      frame = decodeFrame(message);
    } catch (err) {
      logger.warn({ err }, 'dropped a malformed reply frame');
      return;
    }
    const requestId = frame.kind === 'reply' ? frame.reply.header.requestId : frame.chunk.requestId;
    const settles = waiters.get(requestId);
    if (settles === undefined) {
      logger.debug({ requestId }, 'reply arrived after its caller left');
      return;
    }
    for (const settle of [...settles]) {
      if (frame.kind === 'reply') settle(frame.reply);
      else settle.onChunk?.(frame.chunk);
    }
  };
}

function waitFor(
  waiters: Waiters,
  requestId: string,
  timeoutMs: number,
  signal?: AbortSignal,
  onChunk?: (chunk: ReplyChunk) => void,
) {
  return new Promise<Reply | undefined>((resolve) => {
    const settles = waiters.get(requestId) ?? new Set<Settle>();
    const settle: Settle = (reply) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settles.delete(settle);
      if (settles.size === 0) waiters.delete(requestId);
      resolve(reply);
    };
    if (onChunk !== undefined) settle.onChunk = onChunk;
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
    wait: (requestId, timeoutMs, signal, onChunk) =>
      waitFor(waiters, requestId, timeoutMs, signal, onChunk),
    async close() {
      subscriber.off('messageBuffer', onMessage);
      for (const settles of waiters.values()) for (const settle of [...settles]) settle(undefined);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
