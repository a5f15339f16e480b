/**
 * @module
 * BullMQ producers for other workers' direct queues (one per worker id), opened on first use on
 * the worker's main connection, for async attempts sent to their provisioned environments.
 * Worker ids change when workers restart, so only the most recently used few stay open.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import {
  directInvokeQueue,
  openPerKey,
  type InvokeJobData,
  type InvokeJobResult,
} from '@lambdock/core';
import type { DirectQueue } from './remote-attempt.js';

export interface DirectProducers {
  get(workerId: string): DirectQueue;
  close(): Promise<void>;
}

/** More workers than this holding provisioned environments reopen producers now and then. */
const OPEN_MAX = 32;

function asDirectQueue(queue: Queue<InvokeJobData, InvokeJobResult>): DirectQueue {
  return {
    add: (name, data, opts) => queue.add(name, data, opts),
    async getJob(jobId) {
      const job = await queue.getJob(jobId);
      return job === undefined || job === null ? undefined : job;
    },
  };
}

export function createDirectProducers(
  connection: Redis,
  prefix: string,
  onError: (err: Error) => void,
): DirectProducers {
  const open = openPerKey<{ queue: Queue; direct: DirectQueue }>({
    open(workerId) {
      const queue = new Queue<InvokeJobData, InvokeJobResult>(directInvokeQueue(workerId), {
        connection,
        prefix,
      });
      // An EventEmitter's unhandled 'error' would end the process; the connection reconnects.
      queue.on('error', onError);
      return { queue, direct: asDirectQueue(queue) };
    },
    close: (entry) => entry.queue.close(),
    max: OPEN_MAX,
  });
  return { get: (workerId) => open.get(workerId).direct, close: () => open.close() };
}
