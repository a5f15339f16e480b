/**
 * @module
 * The real Node.js and Python runtimes of runtime-images/, run as plain child processes (no
 * Docker) behind a real execution environment, and the Node runtime's HTTP connection module
 * loaded for direct tests. The process stands in for the container: same entry point, same
 * environment.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSilentLogger } from '@lambdock/core';
import type { ContainerHandle, ExitInfo } from '../../src/containers/container-driver.js';
import { startEnvironment, type ExecutionEnvironment } from '../../src/invoke/environment.js';
import type { Invocation } from '../../src/runtime-api/invocation-slot.js';

/** From worker/dist/test/helpers to the repository root. */
export const RUNTIME_DIR = fileURLToPath(
  new URL('../../../../runtime-images/nodejs20.x/runtime/', import.meta.url),
);
/** The Python runtime's entry point, run by the host's python3. */
export const PYTHON_BOOTSTRAP = fileURLToPath(
  new URL('../../../../runtime-images/python3.11/runtime/bootstrap.py', import.meta.url),
);

export interface HttpAnswer {
  statusCode: number;
  headers: Record<string, string>;
  body: Buffer;
}

export interface PipelinedRequest {
  method: string;
  path: string;
  headers: Record<string, string | number>;
  body?: Buffer;
}

export interface HttpConnection {
  readonly reusable: boolean;
  request(
    method: string,
    path: string,
    headers: Record<string, string | number>,
    body: Buffer | undefined,
  ): Promise<HttpAnswer>;
  /** Two requests in one write (what the runtime pipelines: an answer, then `/next`). */
  pipeline(
    requests: readonly [PipelinedRequest, PipelinedRequest],
  ): [Promise<HttpAnswer>, Promise<HttpAnswer>];
  destroy(): void;
}

interface HttpConnectionModule {
  HttpConnection: new (options: {
    hostname: string;
    port: number;
    host: string;
    maxHeaderBytes: number;
  }) => HttpConnection;
}

export async function connect(port: number, maxHeaderBytes = 81920): Promise<HttpConnection> {
  const module = (await import(join(RUNTIME_DIR, 'http-connection.mjs'))) as HttpConnectionModule;
  return new module.HttpConnection({
    hostname: '127.0.0.1',
    port,
    host: `127.0.0.1:${port}`,
    maxHeaderBytes,
  });
}

/** A code directory holding `index.mjs` with the given source. */
export function codeDir(source: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'node-runtime-'));
  writeFileSync(join(dir, 'index.mjs'), source);
  return dir;
}

function processHandle(
  argv: readonly string[],
  env: Record<string, string>,
  onOutput: (c: Buffer) => void,
): ContainerHandle {
  let kill: () => void = () => undefined;
  let exited: (exit: ExitInfo) => void = () => undefined;
  const exit = new Promise<ExitInfo>((resolve) => (exited = resolve));
  return {
    id: 'p'.repeat(64),
    start: async () => {
      const [command = '', ...args] = argv;
      const child = spawn(command, args, {
        // No __pycache__ written into the repository's runtime directory by python3.
        env: { PATH: process.env.PATH ?? '', PYTHONDONTWRITEBYTECODE: '1', ...env },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.on('data', onOutput);
      child.stderr.on('data', onOutput);
      child.once('exit', (code, signal) =>
        exited({ code: code ?? (signal === 'SIGKILL' ? 137 : -1), oomKilled: false }),
      );
      kill = () => child.kill('SIGKILL');
    },
    wait: () => exit,
    ipAddress: async () => '127.0.0.1',
    maxMemoryBytes: async () => undefined,
    limitCpu: async () => undefined,
    kill: async () => kill(),
    remove: async () => undefined,
  };
}

/** How the stand-in container behaves. */
export interface ProcessOptions {
  responseLimitBytes?: number;
  /** Output reaches the worker this late, as through a Docker attach stream on a busy host. */
  outputDelayMs?: number;
}

/** An environment whose "container" runs the Node runtime on `dir` with `handler`. */
export function nodeEnvironment(
  dir: string,
  handler = 'index.handler',
  options: ProcessOptions = {},
): Promise<ExecutionEnvironment> {
  const argv = [process.execPath, join(RUNTIME_DIR, 'index.mjs')];
  return processEnvironment(argv, dir, handler, options);
}

/** An environment whose "container" runs the Python runtime (host python3) on `dir`. */
export function pythonEnvironment(
  dir: string,
  handler: string,
  options: ProcessOptions = {},
): Promise<ExecutionEnvironment> {
  return processEnvironment(['python3', '-u', PYTHON_BOOTSTRAP], dir, handler, options);
}

/** An environment whose "container" is the process `argv`, given a function's environment. */
function processEnvironment(
  argv: readonly string[],
  dir: string,
  handler: string,
  { responseLimitBytes = 6 * 1024 * 1024, outputDelayMs }: ProcessOptions = {},
): Promise<ExecutionEnvironment> {
  return startEnvironment({
    id: 'node1',
    runtimeApiHost: '127.0.0.1',
    restrictPeer: true,
    responseLimitBytes,
    streamLimitBytes: 20 * 1024 * 1024,
    initTimeoutMs: 10_000,
    log: { limitBytes: 64 * 1024, settleMs: 5, settleMaxMs: 50, fenceMaxMs: 5_000 },
    logger: createSilentLogger(),
    launch: async (runtimeApi, onOutput) =>
      processHandle(
        argv,
        {
          AWS_LAMBDA_RUNTIME_API: runtimeApi,
          _HANDLER: handler,
          LAMBDA_TASK_ROOT: dir,
          AWS_LAMBDA_FUNCTION_NAME: 'demo',
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
        },
        outputDelayMs === undefined
          ? onOutput
          : (chunk) => void setTimeout(() => onOutput(chunk), outputDelayMs),
      ),
  });
}

/**
 * Runs `{ n: 1 }` and then `{ n: 2, fail: true }` on `env` (built with a late output delay)
 * and returns each invocation's captured output.
 */
export async function lateOutputs(
  env: ExecutionEnvironment,
  inv: (requestId: string, event: unknown) => Invocation,
): Promise<[string, string]> {
  const outputs: string[] = [];
  for (const event of [{ n: 1 }, { n: 2, fail: true }]) {
    const result = await env.invoke(inv(`o${event.n}`, event));
    outputs.push((await result.captured).output.toString());
  }
  return [outputs[0] ?? '', outputs[1] ?? ''];
}
