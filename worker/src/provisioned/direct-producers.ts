/**
 * @module
 * BullMQ producers for other workers' direct queues (one per worker id), opened on first use on
 * the worker's main connection, for async attempts sent to their provisioned environments.
 * Worker ids change when workers restart, so only the most recently used few stay open.
 */
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { directInvokeQueue, type InvokeJobData, type InvokeJobResult } from '@lambdock/core';
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
  const open = new Map<string, { queue: Queue; direct: DirectQueue }>();
  return {
    get(workerId) {
      const known = open.get(workerId);
      if (known !== undefined) {
        // Most recently used last: Map keeps insertion order.
        open.delete(workerId);
        open.set(workerId, known);
        return known.direct;
      }
      const queue = new Queue<InvokeJobData, InvokeJobResult>(directInvokeQueue(workerId), {
        connection,
        prefix,
      });
      // An EventEmitter's unhandled 'error' would end the process; the connection reconnects.
      queue.on('error', onError);
      const entry = { queue, direct: asDirectQueue(queue) };
      open.set(workerId, entry);
      if (open.size > OPEN_MAX) {
        const [oldest] = open;
        if (oldest !== undefined) {
          open.delete(oldest[0]);
          void oldest[1].queue.close().catch(() => undefined);
        }
      }
      return entry.direct;
    },
    async close() {
      await Promise.all([...open.values()].map((e) => e.queue.close().catch(() => undefined)));
      open.clear();
    },
  };
}
