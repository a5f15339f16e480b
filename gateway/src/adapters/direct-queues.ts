/**
 * @module
 * BullMQ producers for workers' own queues (one per worker id), opened on first use on the
 * shared producer connection. Worker ids change when workers restart, so only the most
 * recently used few are kept open.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  directInvokeQueue,
  openPerKey,
  type InvokeJobData,
  type InvokeJobResult,
} from '@lambdock/core';

export type DirectQueue = Queue<InvokeJobData, InvokeJobResult>;

export interface DirectQueues {
  get(workerId: string): DirectQueue;
  close(): Promise<void>;
}

/** More workers than this taking provisioned traffic through one gateway reopen producers. */
const OPEN_MAX = 64;

export function createDirectQueues(
  connection: Redis,
  prefix: string,
  onError: (err: Error) => void = () => undefined,
): DirectQueues {
  return openPerKey<DirectQueue>({
    open(workerId) {
      const queue: DirectQueue = new Queue(directInvokeQueue(workerId), { connection, prefix });
      // An EventEmitter's unhandled 'error' would end the process; the connection reconnects.
      queue.on('error', onError);
      return queue;
    },
    close: (queue) => queue.close(),
    max: OPEN_MAX,
  });
}
