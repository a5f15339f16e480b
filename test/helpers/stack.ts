/**
 * @module
 * Run the real services as child processes (the way `npm start` does) against a test
 * Redis and the local Docker engine, each stack with its own key prefix so suites never
 * share state. Workers can be SIGKILLed and restarted to test recovery.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { freePort } from './free-port.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface StackOptions {
  redisUrl: string;
  /** Extra env for every service (e.g. WORKER_IDLE_TIMEOUT_MS). */
  env?: Record<string, string>;
  workerEnv?: Record<string, string>;
  gatewayEnv?: Record<string, string>;
}

export interface ServiceProcess {
  name: string;
  child: ChildProcess;
  output: string[];
}

export interface Stack {
  prefix: string;
  endpoint: string;
  gatewayPort: number;
  workerPort: number;
  gateway: ServiceProcess;
  worker: ServiceProcess;
  client(options?: { maxAttempts?: number }): LambdaClient;
  killWorker(signal?: NodeJS.Signals): Promise<void>;
  startWorker(): Promise<void>;
  /** Signal the gateway and wait for it to exit (SIGTERM drains it first). */
  killGateway(signal?: NodeJS.Signals): Promise<void>;
  /** Start the gateway again, on the same port and settings. */
  startGateway(): Promise<void>;
  /**
   * Start one more worker (`<prefix>-<suffix>`) on this stack; stopped with the stack. `script`
   * (from the repository root) runs instead of the worker's main, on the same environment.
   */
  startExtraWorker(
    suffix: string,
    env?: Record<string, string>,
    script?: string,
  ): Promise<WorkerProcess>;
  /** Start a scheduler replica on this stack's Redis and prefix; stopped with the stack. */
  startScheduler(env?: Record<string, string>): Promise<SchedulerProcess>;
  /** The last `chars` of every service's output, each under its name: what a failure report shows. */
  outputTail(chars: number): string;
  stop(): Promise<void>;
}

/** Another worker on the stack's Redis and prefix, with its own id and health port. */
export interface WorkerProcess extends ServiceProcess {
  id: string;
  port: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** This worker's Prometheus text. */
  metrics(): Promise<string>;
}

export interface SchedulerProcess extends ServiceProcess {
  port: number;
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** This replica's Prometheus text. */
  metrics(): Promise<string>;
}

function startService(script: string, env: Record<string, string>, name: string): ServiceProcess {
  const child = spawn(process.execPath, [join(ROOT, script)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/root', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer): void => {
    output.push(chunk.toString());
    if (output.length > 2000) output.splice(0, 1000);
    if (process.env.LAMBDOCK_TEST_VERBOSE === '1')
      process.stderr.write(`[${name}] ${chunk.toString()}`);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return { name, child, output };
}

async function waitHealthy(url: string, service: ServiceProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (service.child.exitCode !== null) {
      throw new Error(`service exited with ${service.child.exitCode}:\n${service.output.join('')}`);
    }
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error(
    `${url} not ready after ${timeoutMs} ms:\n${service.output.join('').slice(-4000)}`,
  );
}

async function stopService(
  service: ServiceProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<void> {
  const { child } = service;
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
  await exited;
  clearTimeout(timer);
}

export async function startStack(options: StackOptions): Promise<Stack> {
  const prefix = `t${randomBytes(4).toString('hex')}`;
  const [gatewayPort, workerPort] = [await freePort(), await freePort()];
  const common: Record<string, string> = {
    REDIS_URL: options.redisUrl,
    LAMBDOCK_PREFIX: prefix,
    LOG_LEVEL: process.env.LAMBDOCK_TEST_LOG_LEVEL ?? 'warn',
    WORKER_CODE_DIR: mkdtempSync(join(tmpdir(), 'lambdock-code-')),
    ...options.env,
  };
  const gatewayEnv = {
    ...common,
    GATEWAY_PORT: String(gatewayPort),
    GATEWAY_HOST: '127.0.0.1',
    GATEWAY_PUBLIC_URL: `http://127.0.0.1:${gatewayPort}`,
    ...options.gatewayEnv,
  };
  const workerEnv = {
    ...common,
    WORKER_PORT: String(workerPort),
    WORKER_ID: `${prefix}-w`,
    ...options.workerEnv,
  };
  const schedulers: SchedulerProcess[] = [];
  const extraWorkers: WorkerProcess[] = [];
  const stack: Stack = {
    prefix,
    endpoint: `http://127.0.0.1:${gatewayPort}`,
    gatewayPort,
    workerPort,
    gateway: startService('gateway/dist/src/main.js', gatewayEnv, 'gateway'),
    worker: startService('worker/dist/src/main.js', workerEnv, 'worker'),
    client: ({ maxAttempts = 3 } = {}) =>
      new LambdaClient({
        region: 'us-east-1',
        endpoint: stack.endpoint,
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts,
      }),
    killWorker: async (signal = 'SIGKILL') => stopService(stack.worker, signal),
    startWorker: async () => {
      stack.worker = startService('worker/dist/src/main.js', workerEnv, 'worker');
      await waitHealthy(`http://127.0.0.1:${workerPort}/readyz`, stack.worker, 30_000);
    },
    killGateway: async (signal = 'SIGKILL') => stopService(stack.gateway, signal),
    startGateway: async () => {
      stack.gateway = startService('gateway/dist/src/main.js', gatewayEnv, 'gateway');
      await waitHealthy(`${stack.endpoint}/readyz`, stack.gateway, 30_000);
    },
    startExtraWorker: async (suffix, env = {}, script = 'worker/dist/src/main.js') => {
      const port = await freePort();
      const id = `${prefix}-${suffix}`;
      const service = startService(
        script,
        { ...workerEnv, WORKER_PORT: String(port), WORKER_ID: id, ...env },
        `worker:${suffix}`,
      );
      const extra: WorkerProcess = {
        ...service,
        id,
        port,
        kill: (signal = 'SIGKILL') => stopService(service, signal),
        metrics: async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
      };
      extraWorkers.push(extra);
      await waitHealthy(`http://127.0.0.1:${port}/readyz`, service, 30_000);
      return extra;
    },
    startScheduler: async (env = {}) => {
      const port = await freePort();
      const service = startService(
        'scheduler/dist/src/main.js',
        { ...common, SCHEDULER_PORT: String(port), SCHEDULER_HOST: '127.0.0.1', ...env },
        `scheduler:${port}`,
      );
      const replica: SchedulerProcess = {
        ...service,
        port,
        kill: (signal = 'SIGKILL') => stopService(service, signal),
        metrics: async () => (await fetch(`http://127.0.0.1:${port}/metrics`)).text(),
      };
      schedulers.push(replica);
      await waitHealthy(`http://127.0.0.1:${port}/readyz`, service, 30_000);
      return replica;
    },
    outputTail: (chars) =>
      [stack.gateway, stack.worker, ...extraWorkers, ...schedulers]
        .map((s) => `--- ${s.name} ---\n${s.output.join('').slice(-chars)}`)
        .join('\n'),
    stop: async () => {
      await Promise.all([
        stopService(stack.gateway),
        stopService(stack.worker),
        ...schedulers.map((s) => stopService(s)),
        ...extraWorkers.map((w) => stopService(w)),
      ]);
    },
  };
  try {
    await waitHealthy(`${stack.endpoint}/readyz`, stack.gateway, 30_000);
    await waitHealthy(`http://127.0.0.1:${workerPort}/readyz`, stack.worker, 30_000);
  } catch (err) {
    // A half-started stack must not outlive the suite: its processes would keep it alive.
    await stack.stop();
    throw err;
  }
  return stack;
}

/** A function name unique to this run. */
export function uniqueName(base: string): string {
  return `${base}-${randomBytes(3).toString('hex')}`;
}
