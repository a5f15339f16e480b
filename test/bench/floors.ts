/**
 * @module
 * The primitives lambdock is built from, measured alone in the same run so that results can
 * be stated as ratios: raw HTTP round trip, the BullMQ request/reply hop with a pub/sub
 * reply channel, and Docker's own create+start: of a bare container, and of a container with
 * exactly the options the worker gives a 128 MB function (memory and CPU limits, read-only root
 * with a tmpfs, the code bind mount, dropped capabilities), which is what a cold start pays.
 */
import { createServer } from 'node:http';
import { once } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Queue, Worker } from 'bullmq';
import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '@lambdock/core';
import { buildContainerSpec } from '@lambdock/worker/container-spec';
import { latencyLoop } from './http-loop.js';
import { elapsedMs, summarize, warmedUp, type Summary, type Warmup } from './stats.js';

export async function httpRoundTrip(samples: number, warmup: Warmup): Promise<Summary> {
  const server = createServer((_req, res) => res.end('{}'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  const result = await latencyLoop({
    url: `http://127.0.0.1:${port}/`,
    warmup,
    samples,
    maxDurationMs: warmup.ms + 30_000,
  });
  server.close();
  return summarize(result);
}

export async function bullmqReplyHop(
  redisUrl: string,
  samples: number,
  warmup: Warmup,
): Promise<Summary> {
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  const connection = { url: redisUrl };
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const publisher = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('hop', { connection: producer, prefix });
  const worker = new Worker(
    'hop',
    async (job) => {
      await publisher.publish(`${prefix}:reply`, String(job.id));
      return null;
    },
    { connection: { ...connection, maxRetriesPerRequest: null }, prefix, concurrency: 1 },
  );
  await subscriber.subscribe(`${prefix}:reply`);
  const waiting = new Map<string, () => void>();
  subscriber.on('message', (_channel, id: string) => waiting.get(id)?.());
  const results: number[] = [];
  const startedAt = Date.now();
  const deadline = startedAt + warmup.ms + 60_000;
  let warm = false;
  for (let i = 0; results.length < samples && Date.now() < deadline; i++) {
    warm ||= warmedUp(warmup, i, startedAt);
    const id = randomUUID();
    const start = process.hrtime.bigint();
    const replied = new Promise<void>((resolve) => waiting.set(id, resolve));
    await queue.add('hop', {}, { jobId: id, removeOnComplete: true });
    await replied;
    waiting.delete(id);
    if (warm) results.push(elapsedMs(start));
  }
  await worker.close();
  await queue.obliterate({ force: true });
  await queue.close();
  for (const c of [producer, publisher, subscriber]) c.disconnect();
  return summarize(results);
}

export async function dockerCreateStart(
  docker: Docker,
  image: string,
  network: string,
  runs: number,
): Promise<Summary> {
  const results: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    const container = await docker.createContainer({
      Image: image,
      Entrypoint: ['/bin/sh', '-c', 'sleep 5'],
      HostConfig: { NetworkMode: network, AutoRemove: false },
      Labels: { 'lambdock.bench': 'floor' },
    });
    await container.start();
    results.push(elapsedMs(start));
    await container.remove({ force: true });
  }
  return summarize(results);
}

/**
 * Docker create+start of the container a 128 MB zip function gets, built by the worker's own
 * spec builder: the like-for-like floor of a cold start (limits and mounts cost Docker time).
 */
export async function dockerCreateStartFunctionSpec(
  docker: Docker,
  image: string,
  network: string,
  runs: number,
): Promise<Summary> {
  const codeDir = mkdtempSync(join(tmpdir(), 'lambdock-bench-code-'));
  const results: number[] = [];
  try {
    for (let i = 0; i < runs; i++) {
      const spec = buildContainerSpec({
        environmentId: randomUUID().slice(0, 12),
        functionName: 'bench-floor',
        generation: 0,
        memoryMb: 128,
        ephemeralStorageMb: 512,
        image,
        env: [],
        command: { entrypoint: ['/bin/sh', '-c', 'sleep 5'] },
        codeDir,
        network,
        workerId: 'bench-floor',
        user: DEFAULTS.CONTAINER_USER,
        hostCpus: cpus().length,
        minCpuMillicores: 250,
        initCpuMillicores: 1000,
        logMaxSize: '1m',
      });
      const start = process.hrtime.bigint();
      const container = await docker.createContainer({
        ...spec,
        Labels: { 'lambdock.bench': 'floor' },
      });
      await container.start();
      results.push(elapsedMs(start));
      await container.remove({ force: true });
    }
  } finally {
    rmSync(codeDir, { recursive: true, force: true });
  }
  return summarize(results);
}
