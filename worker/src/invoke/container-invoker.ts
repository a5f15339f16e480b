/**
 * @module
 * The Invoker on containers: take a warm environment of the function or start one, run the
 * event, give the environment back (or let it go), and frame the invocation's log.
 */
import type { Logger } from '@lambdock/core';
import type { Invocation } from '../runtime-api/invocation-slot.js';
import type { Acquired, EnvironmentPool } from './environment-pool.js';
import { EnvironmentVanishedError, type EnvInvokeResult } from './environment.js';
import {
  InvokeSystemError,
  type InvokeRequest,
  type InvokeResult,
  type Invoker,
} from './invoker.js';
import { frameInvocationLog } from './log-frame.js';
import { createTraceIdSource, type TraceIdSource } from './trace-id.js';

export interface ContainerInvokerDeps {
  pool: EnvironmentPool;
  logger: Logger;
  logCaptureLimitBytes: number;
  /** Called around each run, for the concurrency gauge. */
  onRunning?(delta: 1 | -1): void;
  /** Called with each environment taken, for the provisioned concurrency counters. */
  onAcquired?(functionName: string, acquired: Acquired): void;
  /** Makes the trace id of an invocation that came without one. @defaultValue a pooled source */
  traceIds?: TraceIdSource;
}

const MB = 1024 * 1024;

export function toInvocation(
  request: InvokeRequest,
  traceIds: TraceIdSource,
  now = Date.now(),
): Invocation {
  const invocation: {
    -readonly [K in keyof Invocation]: Invocation[K];
  } = {
    requestId: request.requestId,
    payload: request.payload,
    invokedFunctionArn: request.invokedFunctionArn,
    timeoutMs: request.record.timeoutS * 1000,
    traceId: request.traceId ?? traceIds(now),
  };
  if (request.clientContext !== undefined) invocation.clientContext = request.clientContext;
  if (request.cognitoIdentity !== undefined) invocation.cognitoIdentity = request.cognitoIdentity;
  if (request.onChunk !== undefined) invocation.onChunk = request.onChunk;
  return invocation;
}

/** An OOM-killed function used all of its memory; its cgroup is gone before it can be read. */
function maxMemoryUsedMb(request: InvokeRequest, result: EnvInvokeResult): number {
  if (result.errorKind === 'oom') return request.record.memoryMb;
  return result.maxMemoryBytes === undefined ? 0 : Math.ceil(result.maxMemoryBytes / MB);
}

async function frame(
  request: InvokeRequest,
  result: EnvInvokeResult,
  limitBytes: number,
): Promise<string> {
  const captured = await result.captured;
  return frameInvocationLog({
    requestId: request.requestId,
    version: request.version,
    preOutput: captured.preOutput,
    output: captured.output,
    truncated: captured.truncated,
    limitBytes,
    durationMs: result.durationMs,
    memorySizeMb: request.record.memoryMb,
    maxMemoryUsedMb: maxMemoryUsedMb(request, result),
    ...(result.initDurationMs === undefined ? {} : { initDurationMs: result.initDurationMs }),
    ...(result.status === undefined ? {} : { status: result.status }),
    ...(result.errorType === undefined ? {} : { errorType: result.errorType }),
  });
}

/** Anything but our own error while starting an environment is the engine's (Docker) fault. */
function asSystemError(err: unknown): InvokeSystemError {
  if (err instanceof InvokeSystemError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InvokeSystemError('engine', `container engine: ${message}`, true, { cause: err });
}

interface Ran {
  acquired: Acquired;
  result: EnvInvokeResult;
}

/** Run the event; a warm environment that died before taking it is replaced, once. */
async function runOnce(
  deps: ContainerInvokerDeps,
  traceIds: TraceIdSource,
  request: InvokeRequest,
): Promise<Ran> {
  for (let attempt = 0; ; attempt++) {
    // The claimed environment only on the first try: a vanished one is replaced like any other.
    const claimed = attempt === 0 ? request.environmentId : undefined;
    const acquired = await deps.pool
      .acquire(request.record, request.priority, request.giveUpAt, claimed)
      .catch((err: unknown) => {
        throw asSystemError(err);
      });
    deps.onRunning?.(1);
    deps.onAcquired?.(request.record.name, acquired);
    let result: EnvInvokeResult | undefined;
    try {
      result = await acquired.env.invoke(toInvocation(request, traceIds));
      return { acquired, result };
    } catch (err) {
      if (!(err instanceof EnvironmentVanishedError) || attempt > 0) throw err;
      deps.logger.info(
        { requestId: request.requestId, envId: err.environmentId },
        'warm environment gone; starting another',
      );
    } finally {
      deps.onRunning?.(-1);
      deps.pool.release(acquired.entry, result?.reusable ?? false);
    }
  }
}

export function createContainerInvoker(deps: ContainerInvokerDeps): Invoker {
  const traceIds = deps.traceIds ?? createTraceIdSource();
  return {
    async invoke(request) {
      const { acquired, result } = await runOnce(deps, traceIds, request);
      // The worker is stopping and killed this environment: not the function's fault, so the
      // job must not complete as a function error (async events are recovered elsewhere).
      if (deps.pool.closing)
        throw new InvokeSystemError('aborted', 'worker is shutting down', true);
      const log = frame(request, result, deps.logCaptureLimitBytes);
      log.catch((err: unknown) => deps.logger.warn({ err }, 'log framing failed'));
      const invokeResult: InvokeResult = {
        outcome: result.outcome,
        payload: result.payload,
        contentType: result.contentType,
        coldStart: acquired.cold,
        durationMs: result.durationMs,
        log,
        ...(acquired.env.logStreamName === undefined
          ? {}
          : { logStream: acquired.env.logStreamName }),
        ...(result.errorType === undefined ? {} : { errorType: result.errorType }),
        ...(result.errorKind === undefined ? {} : { errorKind: result.errorKind }),
        ...(result.initDurationMs === undefined ? {} : { initDurationMs: result.initDurationMs }),
      };
      return invokeResult;
    },
  };
}
