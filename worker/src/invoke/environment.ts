/**
 * @module
 * One execution environment: a container, its own Runtime API listener and its log capture,
 * serving one invocation at a time. When the platform ends an invocation (init failure,
 * timeout, exit, oversize response) the environment retires on the spot, kill then remove, so
 * a timed-out function is gone within a second of its deadline. A handler error leaves it
 * warm, as in Lambda.
 */
import type { Logger } from '@lambdock/core';
import type { ContainerHandle, OutputListener } from '../containers/container-driver.js';
import { createInvocationSlot, type Invocation } from '../runtime-api/invocation-slot.js';
import { startRuntimeApiServer, type RuntimeApiServer } from '../runtime-api/server.js';
import { runInvocation, type Run } from './invocation-run.js';
import { createLogCapture, type CapturedOutput } from './log-capture.js';
import { verdictFor, type RunVerdict } from './run-result.js';

export interface EnvironmentOptions {
  readonly id: string;
  readonly runtimeApiHost: string;
  /** Refuse Runtime API peers other than the container (off only in tests on loopback). */
  readonly restrictPeer: boolean;
  readonly responseLimitBytes: number;
  readonly initTimeoutMs: number;
  readonly log: { limitBytes: number; settleMs: number; settleMaxMs: number };
  readonly logger: Logger;
  /** Create (not start) the container, given AWS_LAMBDA_RUNTIME_API and an output sink. */
  readonly launch: (runtimeApi: string, onOutput: OutputListener) => Promise<ContainerHandle>;
  readonly now?: () => number;
}

export interface EnvInvokeResult extends RunVerdict {
  readonly durationMs: number;
  /** Set on the invocation that waited for this environment's init. */
  readonly initDurationMs?: number;
  readonly maxMemoryBytes: number | undefined;
  readonly captured: Promise<CapturedOutput>;
}

export interface ExecutionEnvironment {
  readonly id: string;
  readonly dead: boolean;
  invoke(invocation: Invocation): Promise<EnvInvokeResult>;
  destroy(): Promise<void>;
  /** Called once when the environment dies on its own (container exit while idle). */
  onDeath(listener: () => void): void;
}

/** The environment died before it took the event; the caller may run it elsewhere. */
export class EnvironmentVanishedError extends Error {
  constructor(
    readonly environmentId: string,
    readonly exitCode: number,
  ) {
    super(`environment ${environmentId} exited (status ${exitCode}) before taking the event`);
  }
}

/** Epoch milliseconds with sub-millisecond precision, for Duration and Init Duration. */
const preciseNow = (): number => performance.timeOrigin + performance.now();

export async function startEnvironment(options: EnvironmentOptions): Promise<ExecutionEnvironment> {
  const now = options.now ?? preciseNow;
  const capture = createLogCapture(options.log);
  let run: Run | undefined;
  let initDoneAt: number | undefined;
  const slot = createInvocationSlot({
    onInitDone: (at) => (initDoneAt = at),
    onDelivered: (_inv, at) => run?.delivered(at),
  });
  const server = await startRuntimeApiServer({
    host: options.runtimeApiHost,
    slot,
    responseLimitBytes: options.responseLimitBytes,
    logger: options.logger,
    restrictPeer: options.restrictPeer,
  });
  const launchedAt = now();
  const container = await launchOrClose(options, server, (chunk) => capture.write(chunk));
  const initStartedAt = now();
  let dead = false;
  let initReported = false;
  let peakMemoryBytes: number | undefined;
  let destroying: Promise<void> | undefined;
  const deathListeners: Array<() => void> = [];

  const destroy = (): Promise<void> => {
    dead = true;
    slot.close();
    destroying ??= retire(container, server, options.logger);
    return destroying;
  };
  try {
    await container.start();
    const startedAt = now();
    await allowContainerPeer(options, container, server);
    options.logger.debug(
      {
        container: container.id,
        createMs: initStartedAt - launchedAt,
        startMs: startedAt - initStartedAt,
      },
      'environment started',
    );
  } catch (err) {
    await destroy();
    throw err;
  }
  void container.wait().then((exit) => {
    if (run) return run.exited(exit);
    if (dead) return;
    void destroy();
    for (const listener of deathListeners) listener();
  });

  const invokeOnce = async (invocation: Invocation): Promise<EnvInvokeResult> => {
    const waitedForInit = !initReported;
    const current = runInvocation(
      { slot, capture, initTimeoutMs: options.initTimeoutMs, initStartedAt, now },
      invocation,
    );
    run = current;
    current.start();
    const end = await current.done;
    run = undefined;
    if (end.ending.kind === 'vanished') {
      void destroy();
      throw new EnvironmentVanishedError(options.id, end.ending.exit.code);
    }
    const verdict = verdictFor(end.ending, options.responseLimitBytes);
    // Read the cgroup before a retiring container's cgroup disappears; an exited container's
    // is already gone, so the last reading stands in.
    const reading = await container.maxMemoryBytes().catch(() => undefined);
    peakMemoryBytes = Math.max(peakMemoryBytes ?? 0, reading ?? 0) || undefined;
    const maxMemoryBytes = peakMemoryBytes;
    if (!verdict.reusable) void destroy();
    let initDurationMs: number | undefined;
    if (waitedForInit && initDoneAt !== undefined) {
      initReported = true;
      initDurationMs = initDoneAt - initStartedAt;
    }
    const durationMs = end.endedAt - (end.deliveredAt ?? end.submittedAt);
    return { ...verdict, durationMs, initDurationMs, maxMemoryBytes, captured: end.captured };
  };

  return {
    id: options.id,
    get dead() {
      return dead;
    },
    invoke: (invocation) => {
      if (dead) return Promise.reject(new Error(`environment ${options.id} is retired`));
      if (run) return Promise.reject(new Error(`environment ${options.id} is busy`));
      return invokeOnce(invocation);
    },
    destroy,
    onDeath: (listener) => void deathListeners.push(listener),
  };
}

/** Kill first (the deadline matters), then remove; the listener goes last. */
async function retire(
  container: ContainerHandle,
  server: RuntimeApiServer,
  logger: Logger,
): Promise<void> {
  await container
    .kill()
    .catch((err: unknown) => logger.warn({ err, container: container.id }, 'kill failed'));
  await container
    .remove()
    .catch((err: unknown) => logger.warn({ err, container: container.id }, 'remove failed'));
  await server.close();
}

async function launchOrClose(
  options: EnvironmentOptions,
  server: RuntimeApiServer,
  onOutput: OutputListener,
): Promise<ContainerHandle> {
  try {
    return await options.launch(server.address, onOutput);
  } catch (err) {
    await server.close();
    throw err;
  }
}

async function allowContainerPeer(
  options: EnvironmentOptions,
  container: ContainerHandle,
  server: RuntimeApiServer,
): Promise<void> {
  if (!options.restrictPeer) return;
  const ip = await container.ipAddress();
  if (ip === undefined) throw new Error(`container ${container.id} has no address on its network`);
  server.allowPeer(ip);
}
