/**
 * @module
 * Redis commands issued together, written together. Hot paths send commands in pairs (the
 * gateway: a function's record and its concurrency lease; the worker: the lease release and
 * the reply); ioredis writes each on its own, so each costs a system call here and a read in
 * Redis, and on a shared two-core host those calls, not the JavaScript around them, are most
 * of an invocation's cost. Corking the connection's socket while they are issued
 * (synchronously, in one tick) sends them in one write; Redis then answers both in one too.
 * Under load, holding the write until the end of the event loop's turn also takes in what
 * follows in promise callbacks and what other requests of the same turn send.
 */
import type { Redis } from 'ioredis';

export type Coalesce = <T>(work: () => T) => T;

/** Runs `work` as is: for stores that are not one Redis connection (tests, fakes). */
export const noCoalescing: Coalesce = (work) => work();

export function coalesceWrites(redis: Redis): Coalesce {
  return (work) => {
    // Undefined before the first connect; a reconnect brings a new socket, so look it up each time.
    const socket = redis.stream as Redis['stream'] | undefined;
    socket?.cork();
    try {
      return work();
    } finally {
      socket?.uncork();
    }
  };
}

/**
 * Holds the connection's writes until the end of this turn of the event loop (setImmediate,
 * right after the turn's I/O callbacks): the commands `work` issues, those issued in the
 * promise callbacks that follow it (BullMQ completing a job on the same connection, an add
 * after an await) and those of every other request handled in the same turn leave in one
 * write, and Redis answers them in one. The price is the rest of the turn in latency, and
 * Redis runs everything in the write before it answers any of it: worth it when many
 * invocations share a turn, not for a lone one.
 */
export function batchWritesPerTurn(redis: Redis): Coalesce {
  let corked: Redis['stream'] | undefined;
  return (work) => {
    const socket = redis.stream as Redis['stream'] | undefined;
    if (socket !== undefined && socket !== corked) {
      socket.cork();
      corked = socket;
      setImmediate(() => {
        if (corked === socket) corked = undefined;
        socket.uncork();
      });
    }
    return work();
  };
}
