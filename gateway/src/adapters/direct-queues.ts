/**
 * @module
 * BullMQ producers for workers' own queues (one per worker id), opened on first use on the
 * shared producer connection. Worker ids change when workers restart, so only the most
 * recently used few are kept open.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { directInvokeQueue, type InvokeJobData, type InvokeJobResult } from '@lambdock/core';

export type DirectQueue = Queue<InvokeJobData, InvokeJobResult>;

export interface DirectQueues {
  get(workerId: string): DirectQueue;
  close(): Promise<void>;
}

/** More workers than this taking provisioned traffic through one gateway reopen producers. */
const OPEN_MAX = 64;

export function createDirectQueues(connection: Redis, prefix: string): DirectQueues {
  const open = new Map<string, DirectQueue>();
  return {
    get(workerId) {
      const known = open.get(workerId);
      if (known !== undefined) {
        // Most recently used last: Map keeps insertion order.
        open.delete(workerId);
        open.set(workerId, known);
        return known;
      }
      const queue: DirectQueue = new Queue(directInvokeQueue(workerId), { connection, prefix });
      open.set(workerId, queue);
      if (open.size > OPEN_MAX) {
        const [oldest] = open;
        if (oldest !== undefined) {
          open.delete(oldest[0]);
          void oldest[1].close().catch(() => undefined);
        }
      }
      return queue;
    },
    async close() {
      await Promise.all([...open.values()].map((q) => q.close().catch(() => undefined)));
      open.clear();
    },
  };
}
