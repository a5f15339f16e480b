/**
 * @module
 * The far ends of the HTTP and queue-hop floors (floors.ts), run in the measuring process or,
 * through floor-peer.ts, in a process of their own.
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Worker } from 'bullmq';
import { Redis } from 'ioredis';

export interface FloorEnd {
  /** The HTTP server's port; absent for the queue's consumer. */
  port?: number;
  stop(): Promise<void>;
}

/** A raw `node:http` server answering `{}`. */
export async function httpFloorServer(): Promise<FloorEnd> {
  const server = createServer((_req, res) => res.end('{}'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return { port, stop: async () => void server.close() };
}

/** A one-job BullMQ worker that publishes each job's id on the hop's reply channel. */
export async function hopFloorWorker(redisUrl: string, prefix: string): Promise<FloorEnd> {
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const worker = new Worker(
    'hop',
    async (job) => {
      await publisher.publish(`${prefix}:reply`, String(job.id));
      return null;
    },
    { connection: { url: redisUrl, maxRetriesPerRequest: null }, prefix, concurrency: 1 },
  );
  await worker.waitUntilReady();
  return {
    stop: async () => {
      await worker.close();
      publisher.disconnect();
    },
  };
}
