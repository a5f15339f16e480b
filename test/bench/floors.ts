/**
 * @module
 * The primitives lambdock is built from, measured alone in the same run so that results can
 * be stated as ratios: raw HTTP round trip, the BullMQ request/reply hop with a pub/sub
 * reply channel, and Docker's own create+start: of a bare container, and of a container with
 * exactly the options the worker gives a 128 MB function (memory and CPU limits, read-only root
 * with a tmpfs, the code bind mount, dropped capabilities), which is what a cold start pays.
 *
 * The HTTP round trip and the queue hop are measured two ways. With both ends in one process,
 * no message wakes another process. With the far end in a process of its own (floor-peer.ts),
 * as lambdock's client and gateway, and its gateway and worker, are: the performance
 * reference's queue-hop harness is "gateway process, worker process, one Redis". T1's floors
 * are the two-process ones.
 */
import { once } from 'node:events';
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { randomUUID } from 'node:crypto';
import { Queue } from 'bullmq';
import type Docker from 'dockerode';
import { Redis } from 'ioredis';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULTS } from '@lambdock/core';
import { buildContainerSpec } from '@lambdock/worker/container-spec';
import { hopFloorWorker, httpFloorServer, type FloorEnd } from './floor-ends.js';
import type { PeerReady } from './floor-peer.js';
import { latencyLoop } from './http-loop.js';
import { elapsedMs, summarize, warmedUp, type Summary, type Warmup } from './stats.js';

/** Where a floor's far end runs: in the measuring process, or in a process of its own. */
export type FloorPeer = 'one process' | 'two processes';

const PEER_READY_MS = 30_000;

/** Starts floor-peer.ts in a process of its own and waits until it answers. */
async function startPeer(args: string[]): Promise<{ child: ChildProcess; ready: PeerReady }> {
  const child = fork(fileURLToPath(new URL('./floor-peer.js', import.meta.url)), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const timeout = AbortSignal.timeout(PEER_READY_MS);
  try {
    const [ready] = (await once(child, 'message', { signal: timeout })) as [PeerReady];
    return { child, ready };
  } catch (err) {
    child.kill('SIGKILL');
    throw new Error(`floor peer ${args[0] ?? ''} did not start: ${String(err)}`);
  }
}

async function stopPeer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

/** A floor's far end, here or in a process of its own. */
async function floorEnd(
  peer: FloorPeer,
  args: string[],
  here: () => Promise<FloorEnd>,
): Promise<FloorEnd> {
  if (peer === 'one process') return here();
  const { child, ready } = await startPeer(args);
  return { ...(ready.port === undefined ? {} : { port: ready.port }), stop: () => stopPeer(child) };
}

export async function httpRoundTrip(
  samples: number,
  warmup: Warmup,
  peer: FloorPeer,
): Promise<Summary> {
  const server = await floorEnd(peer, ['http-server'], httpFloorServer);
  if (server.port === undefined) throw new Error('the HTTP floor server has no port');
  try {
    const result = await latencyLoop({
      url: `http://127.0.0.1:${server.port}/`,
      warmup,
      samples,
      maxDurationMs: warmup.ms + 30_000,
    });
    return summarize(result);
  } finally {
    await server.stop();
  }
}

export async function bullmqReplyHop(
  redisUrl: string,
  samples: number,
  warmup: Warmup,
  peer: FloorPeer,
): Promise<Summary> {
  const prefix = `bench${randomUUID().slice(0, 8)}`;
  const producer = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const subscriber = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue('hop', { connection: producer, prefix });
  const consumer = await floorEnd(peer, ['hop-worker', redisUrl, prefix], () =>
    hopFloorWorker(redisUrl, prefix),
  );
  const results: number[] = [];
  try {
    await subscriber.subscribe(`${prefix}:reply`);
    const waiting = new Map<string, () => void>();
    subscriber.on('message', (_channel, id: string) => waiting.get(id)?.());
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
  } finally {
    await consumer.stop();
    await queue.obliterate({ force: true });
    await queue.close();
    for (const c of [producer, subscriber]) c.disconnect();
  }
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
