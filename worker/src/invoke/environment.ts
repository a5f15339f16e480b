/**
 * @module
 * One execution environment: a container, its own Runtime API listener and its log capture,
 * serving one invocation at a time. When the platform ends an invocation (init failure,
 * timeout, exit, oversize response) the environment retires on the spot, kill then remove, so
 * a timed-out function is gone within a second of its deadline. A handler error leaves it
 * warm, as in Lambda.
 */
import type { Logger } from '@lambdock/core';
import type { ContainerHandle, ExitInfo, OutputListener } from '../containers/container-driver.js';
import {
  createInvocationSlot,
  type Invocation,
  type InvocationSlot,
} from '../runtime-api/invocation-slot.js';
import { startRuntimeApiServer, type RuntimeApiServer } from '../runtime-api/server.js';
import { runInvocation, type Run } from './invocation-run.js';
import { InvokeSystemError } from './invoker.js';
import { createLogCapture, type CapturedOutput, type LogCapture } from './log-capture.js';
import { verdictFor, type RunVerdict } from './run-result.js';

export interface EnvironmentOptions {
  readonly id: string;
  readonly runtimeApiHost: string;
  /** Refuse Runtime API peers other than the container (off only in tests on loopback). */
  readonly restrictPeer: boolean;
  readonly responseLimitBytes: number;
  readonly streamLimitBytes: number;
  readonly initTimeoutMs: number;
  readonly log: { limitBytes: number; settleMs: number; settleMaxMs: number; fenceMaxMs?: number };
  readonly logger: Logger;
  /**
   * The container's CPU quota once its runtime asks for the first event; it was created with
   * a larger init allowance. Unset: the quota it was created with stays.
   */
  readonly nanoCpusAfterInit?: number;
  /** Create (not start) the container, given AWS_LAMBDA_RUNTIME_API and an output sink. */
  readonly launch: (runtimeApi: string, onOutput: OutputListener) => Promise<ContainerHandle>;
  readonly now?: () => number;
  /** The log stream its function's output is stored under (AWS_LAMBDA_LOG_STREAM_NAME). */
  readonly logStreamName?: string;
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
  /** The log stream its invocations' logs are stored under. */
  readonly logStreamName?: string;
  invoke(invocation: Invocation): Promise<EnvInvokeResult>;
  destroy(): Promise<void>;
  /** Called once when the environment dies on its own (container exit while idle). */
  onDeath(listener: () => void): void;
  /**
   * Wait, without an event, until the runtime asks for its first one (provisioned
   * concurrency); rejects when it dies or the init timeout passes first. The first invocation
   * afterwards reports no Init Duration: its init happened ahead of traffic.
   */
  awaitInit(): Promise<void>;
}

/** The runtime never became ready: it exited or overran the init timeout. */
export class InitFailedError extends Error {
  constructor(
    readonly environmentId: string,
    reason: string,
  ) {
    super(`environment ${environmentId} failed to initialize: ${reason}`);
  }
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

interface Parts {
  readonly options: EnvironmentOptions;
  readonly slot: InvocationSlot;
  readonly capture: LogCapture;
  readonly server: RuntimeApiServer;
  readonly container: ContainerHandle;
  readonly initStartedAt: number;
  readonly now: () => number;
}

/** One container-backed environment; `startEnvironment` assembles its parts. */
class ContainerEnvironment implements ExecutionEnvironment {
  private run: Run | undefined;
  private initDoneAt: number | undefined;
  private initReported = false;
  private peakMemoryBytes: number | undefined;
  private destroying: Promise<void> | undefined;
  private retired = false;
  /** The CPU quota could not be lowered after init: never serve past this invocation. */
  private unbounded = false;
  private readonly deathListeners: Array<() => void> = [];
  private readonly initWaiters: Array<(failure?: string) => void> = [];

  constructor(private readonly parts: Parts) {}

  get id(): string {
    return this.parts.options.id;
  }

  get logStreamName(): string | undefined {
    return this.parts.options.logStreamName;
  }

  get dead(): boolean {
    return this.retired;
  }

  initDone(at: number): void {
    this.initDoneAt = at;
    this.settleInit();
    const { nanoCpusAfterInit, logger } = this.parts.options;
    if (nanoCpusAfterInit === undefined) return;
    // Not awaited: the first event goes out now, and the quota follows within milliseconds.
    this.parts.container.limitCpu(nanoCpusAfterInit).catch((err: unknown) => {
      logger.warn({ err, container: this.parts.container.id }, 'cpu limit not applied; retiring');
      this.unbounded = true;
      if (!this.run) this.died();
    });
  }

  delivered(at: number): void {
    this.run?.delivered(at);
  }

  invoke(invocation: Invocation): Promise<EnvInvokeResult> {
    if (this.retired) return Promise.reject(new Error(`environment ${this.id} is retired`));
    if (this.run) return Promise.reject(new Error(`environment ${this.id} is busy`));
    return this.invokeOnce(invocation);
  }

  awaitInit(): Promise<void> {
    if (this.initDoneAt !== undefined) {
      this.initReported = true;
      return Promise.resolve();
    }
    if (this.retired) return Promise.reject(new InitFailedError(this.id, 'retired'));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.settleInit('init timeout'),
        this.parts.options.initTimeoutMs,
      );
      this.initWaiters.push((failure) => {
        clearTimeout(timer);
        if (failure !== undefined) return reject(new InitFailedError(this.id, failure));
        this.initReported = true;
        resolve();
      });
    });
  }

  private settleInit(failure?: string): void {
    for (const settle of this.initWaiters.splice(0)) settle(failure);
  }

  destroy(): Promise<void> {
    this.settleInit('retired');
    this.retired = true;
    this.parts.slot.close();
    this.destroying ??= retire(this.parts.container, this.parts.server, this.parts.options.logger);
    return this.destroying;
  }

  onDeath(listener: () => void): void {
    this.deathListeners.push(listener);
  }

  exited(exit: ExitInfo): void {
    if (this.run) return this.run.exited(exit);
    this.died();
  }

  /** Gone (or unfit) while idle: retire and tell the pool. */
  private died(): void {
    this.settleInit(this.parts.slot.initFailure ? 'init error' : 'exited');
    if (this.retired) return;
    void this.destroy();
    for (const listener of this.deathListeners) listener();
  }

  private async invokeOnce(invocation: Invocation): Promise<EnvInvokeResult> {
    const { slot, capture, options, initStartedAt, now } = this.parts;
    const waitedForInit = !this.initReported;
    const run = runInvocation(
      { slot, capture, initTimeoutMs: options.initTimeoutMs, initStartedAt, now },
      invocation,
    );
    this.run = run;
    run.start();
    const end = await run.done;
    this.run = undefined;
    if (end.ending.kind === 'vanished') {
      void this.destroy();
      throw new EnvironmentVanishedError(this.id, end.ending.exit.code);
    }
    if (end.ending.kind === 'engine-lost') {
      void this.destroy();
      // Not the function's failure: an async event goes back to the queue without a retry spent.
      throw new InvokeSystemError('engine', 'container engine: lost the running container', true);
    }
    const judged = verdictFor(end.ending, options.responseLimitBytes);
    const verdict = this.unbounded ? { ...judged, reusable: false } : judged;
    const maxMemoryBytes = await this.readPeakMemory();
    if (!verdict.reusable) void this.destroy();
    let initDurationMs: number | undefined;
    if (waitedForInit && this.initDoneAt !== undefined) {
      this.initReported = true;
      initDurationMs = this.initDoneAt - initStartedAt;
    }
    const durationMs = end.endedAt - (end.deliveredAt ?? end.submittedAt);
    return { ...verdict, durationMs, initDurationMs, maxMemoryBytes, captured: end.captured };
  }

  /**
   * Read the cgroup before a retiring container's cgroup disappears; an exited container's
   * is already gone, so the last reading stands in.
   */
  private async readPeakMemory(): Promise<number | undefined> {
    const reading = await this.parts.container.maxMemoryBytes().catch(() => undefined);
    this.peakMemoryBytes = Math.max(this.peakMemoryBytes ?? 0, reading ?? 0) || undefined;
    return this.peakMemoryBytes;
  }
}

export async function startEnvironment(options: EnvironmentOptions): Promise<ExecutionEnvironment> {
  const now = options.now ?? preciseNow;
  const capture = createLogCapture(options.log);
  // The slot reports to the environment, which needs the slot: tie the knot through a holder.
  const holder: { env?: ContainerEnvironment } = {};
  // The slot stamps init and delivery with the same clock the run's end is read from.
  const slot = createInvocationSlot(
    {
      onInitDone: (at) => holder.env?.initDone(at),
      onDelivered: (_inv, at) => holder.env?.delivered(at),
    },
    now,
  );
  const server = await startRuntimeApiServer({
    host: options.runtimeApiHost,
    slot,
    responseLimitBytes: options.responseLimitBytes,
    streamLimitBytes: options.streamLimitBytes,
    logger: options.logger,
    restrictPeer: options.restrictPeer,
  });
  const launchedAt = now();
  const container = await launchOrClose(options, server, (chunk) => capture.write(chunk));
  const initStartedAt = now();
  const created = new ContainerEnvironment({
    options,
    slot,
    capture,
    server,
    container,
    initStartedAt,
    now,
  });
  holder.env = created;
  try {
    await container.start();
    const startedAt = now();
    await allowContainerPeer(options, container, server);
    const timing = { createMs: initStartedAt - launchedAt, startMs: startedAt - initStartedAt };
    options.logger.debug({ container: container.id, ...timing }, 'environment started');
  } catch (err) {
    await created.destroy();
    throw err;
  }
  // Losing the engine's wait (Docker restarting) means losing track of the container:
  // retire it like an exit; the kill and remove go through once the engine is back.
  container.wait().then(
    (exit) => created.exited(exit),
    (err: unknown) => {
      options.logger.warn({ err, container: container.id }, 'lost the container wait');
      created.exited({ code: -1, oomKilled: false, engineLost: true });
    },
  );
  return created;
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
