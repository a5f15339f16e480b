/**
 * @module
 * Redis commands issued together, written together. Hot paths send commands in pairs (the
 * gateway: a function's record and its concurrency lease; the worker: the lease release and
 * the reply); ioredis writes each on its own, so each costs a system call here and a read in
 * Redis. Corking the connection's socket while
 * they are issued (synchronously, in one tick) sends them in one write; Redis then answers both
 * in one too. Nothing waits: the socket is uncorked before `work`'s promise is returned.
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
