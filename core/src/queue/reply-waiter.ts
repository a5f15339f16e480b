/**
 * @module
 * Waiting for invocation replies on one Redis pub/sub channel (ARCHITECTURE decision 2): one
 * subscription per process on its own channel; workers publish `encodeReply(header, payload)`
 * there. Gateways wait on theirs for sync invokes; a worker waits on its own for async attempts
 * it sent to another worker's provisioned environment. Waiters are keyed by request id; a reply
 * nobody waits for (caller gone, timed out) is dropped. Chunks of a streamed response go to the
 * waiter's chunk listener as they arrive. Core never logs: what happens on the way is reported
 * through `ReplyWaiterEvents`.
 */
import type { Redis } from 'ioredis';
import { decodeFrame, type Reply, type ReplyChunk, type ReplyFrame } from './reply-codec.js';

/**
 * One request's wait. Cancelled by a call rather than an `AbortSignal`: a signal, its controller
 * and their listeners cost a sync invoke more than the rest of its wait.
 */
export interface PendingReply {
  /** The reply; `undefined` on timeout or once cancelled. Never rejects. */
  readonly reply: Promise<Reply | undefined>;
  /** Stop waiting: `reply` settles `undefined` now, unless it has settled already. */
  readonly cancel: () => void;
}

export interface ReplyWaiter {
  /**
   * Wait for the reply to `requestId` on this channel. Registers synchronously, so call it
   * before enqueueing: a fast worker cannot answer before anyone listens.
   */
  wait(
    requestId: string,
    timeoutMs: number,
    /** Takes the chunks of a streamed response, in order, before the final reply resolves. */
    onChunk?: (chunk: ReplyChunk) => void,
  ): PendingReply;
}

export interface ChannelReplyWaiter extends ReplyWaiter {
  /** Waiting requests, for diagnostics and tests. */
  pending(): number;
  /** True once the channel subscription is in place (ioredis renews it after reconnects). */
  isSubscribed(): boolean;
  /** Settle every waiter with `undefined` and unsubscribe. */
  close(): Promise<void>;
}

/** What the caller may want to log. */
export interface ReplyWaiterEvents {
  /** A message on the channel that is not a frame. */
  malformed?(err: unknown): void;
  /** A reply whose caller already left (timed out, aborted). */
  late?(requestId: string): void;
  subscribeFailed?(err: unknown): void;
}

type Settle = ((reply: Reply | undefined) => void) & { onChunk?: (chunk: ReplyChunk) => void };
/** Several waiters per id only when a caller reuses a request id; all get the one reply. */
type Waiters = Map<string, Set<Settle>>;

function createDispatcher(channel: string, waiters: Waiters, events: ReplyWaiterEvents) {
  return (from: Buffer, message: Buffer): void => {
    if (from.toString() !== channel) return;
    let frame: ReplyFrame;
    try {
      frame = decodeFrame(message);
    } catch (err) {
      events.malformed?.(err);
      return;
    }
    const requestId = frame.kind === 'reply' ? frame.reply.header.requestId : frame.chunk.requestId;
    const settles = waiters.get(requestId);
    if (settles === undefined) {
      events.late?.(requestId);
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
  onChunk?: (chunk: ReplyChunk) => void,
): PendingReply {
  const settles = waiters.get(requestId) ?? new Set<Settle>();
  let resolve!: (reply: Reply | undefined) => void;
  const reply = new Promise<Reply | undefined>((r) => (resolve = r));
  let settled = false;
  // Settles once: a later call (a cancel after the reply) must not touch the waiters, which may
  // hold a new wait under the same id by then.
  const settle: Settle = (answer) => {
    if (settled) return;
    settled = true;
    clearTimeout(timer);
    settles.delete(settle);
    if (settles.size === 0) waiters.delete(requestId);
    resolve(answer);
  };
  if (onChunk !== undefined) settle.onChunk = onChunk;
  const cancel = (): void => settle(undefined);
  const timer = setTimeout(cancel, timeoutMs);
  settles.add(settle);
  waiters.set(requestId, settles);
  return { reply, cancel };
}

/**
 * Subscribes at once, without waiting: a service starts (not ready) while Redis is away.
 * `subscriber` must be a connection of its own (createRedis's `subscriber` role): a subscribed
 * connection takes no other commands.
 */
export function createReplyWaiter(
  subscriber: Redis,
  channel: string,
  events: ReplyWaiterEvents = {},
): ChannelReplyWaiter {
  const waiters: Waiters = new Map();
  const onMessage = createDispatcher(channel, waiters, events);
  subscriber.on('messageBuffer', onMessage);
  let subscribed = false;
  subscriber.subscribe(channel).then(
    () => {
      subscribed = true;
    },
    (err: unknown) => events.subscribeFailed?.(err),
  );
  return {
    pending: () => waiters.size,
    isSubscribed: () => subscribed,
    wait: (requestId, timeoutMs, onChunk) => waitFor(waiters, requestId, timeoutMs, onChunk),
    async close() {
      subscriber.off('messageBuffer', onMessage);
      for (const settles of waiters.values()) for (const settle of [...settles]) settle(undefined);
      await subscriber.unsubscribe(channel).catch(() => undefined);
    },
  };
}
