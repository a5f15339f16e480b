/**
 * @module
 * Builds a new execution environment for a function: finds its image (never pulling
 * implicitly), extracts zip code and layers once per hash, derives the handler and command, and hands
 * the closed-set container spec to the driver.
 */
import { DEFAULTS, type FunctionRecord, type Logger } from '@lambdock/core';
import type { CodeCache } from '../code/code-cache.js';
import { CodeMissingError } from '../code/code-cache.js';
import { ZipRejectedError } from '../code/zip-extract.js';
import type { ContainerDriver, ImageInfo } from '../containers/container-driver.js';
import {
  buildContainerSpec,
  cpuLimits,
  INIT_CPU_MILLICORES,
  type CommandOverride,
} from '../containers/container-spec.js';
import type { ImageResolver } from '../containers/images.js';
import { WORKER_DEFAULTS } from '../defaults.js';
import { buildFunctionEnv, handlerForImage, logStreamName } from './env-vars.js';
import { startEnvironment, type ExecutionEnvironment } from './environment.js';
import { InvokeSystemError } from './invoker.js';

export interface EnvironmentFactorySettings {
  readonly workerId: string;
  readonly network: string;
  readonly runtimeApiHost: string;
  readonly restrictPeer: boolean;
  readonly containerUser: string;
  readonly minCpuMillicores: number;
  /** CPU until the runtime's first `/next`; INIT_CPU_MILLICORES when unset. */
  readonly initCpuMillicores?: number;
  readonly hostCpus: number;
  readonly region: string;
  readonly initTimeoutMs: number;
  readonly logCaptureLimitBytes: number;
  /** STREAM_RESPONSE_LIMIT_BYTES. */
  readonly streamLimitBytes: number;
}

export interface EnvironmentFactoryDeps {
  readonly driver: ContainerDriver;
  readonly images: ImageResolver;
  readonly codeCache: CodeCache;
  readonly settings: EnvironmentFactorySettings;
  readonly logger: Logger;
}

/** ImageConfig overrides, each on its own: an EntryPoint override keeps the image's CMD. */
export function commandFor(record: FunctionRecord, image: ImageInfo): CommandOverride {
  if (record.packageType !== 'Image') return {};
  const config = record.imageConfig ?? {};
  const entrypoint = config.EntryPoint?.length ? config.EntryPoint : undefined;
  const cmd = config.Command?.length ? config.Command : entrypoint ? [...image.cmd] : undefined;
  const override: { entrypoint?: string[]; cmd?: string[]; workingDir?: string } = {};
  if (entrypoint) override.entrypoint = [...entrypoint];
  if (cmd) override.cmd = [...cmd];
  if (config.WorkingDirectory) override.workingDir = config.WorkingDirectory;
  return override;
}

/** Code problems as the invoker reports them: missing, or a zip that cannot be used. */
async function asSystemError<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (err) {
    if (err instanceof CodeMissingError)
      throw new InvokeSystemError('code-missing', err.message, false);
    if (err instanceof ZipRejectedError)
      throw new InvokeSystemError('code-invalid', err.message, false);
    throw err;
  }
}

interface CodeDirs {
  codeDir: string | undefined;
  layersDir: string | undefined;
}

/** A zip function's code (for /var/task) and layers (for /opt), extracted when new. */
async function codeDirsFor(record: FunctionRecord, codeCache: CodeCache): Promise<CodeDirs> {
  if (record.packageType !== 'Zip') return { codeDir: undefined, layersDir: undefined };
  if (!record.codeKey)
    throw new InvokeSystemError('code-missing', `${record.name} has no code`, false);
  const layers = record.layers ?? [];
  const [codeDir, layersDir] = await Promise.all([
    asSystemError(codeCache.ensure(record.codeKey)),
    layers.length === 0
      ? undefined
      : asSystemError(codeCache.ensureLayers(layers.map((l) => l.codeKey))),
  ]);
  return { codeDir, layersDir };
}

/**
 * The image (inspected) and the code (extracted when new) at the same time: both are only
 * read here. A missing image is reported before a code problem, whichever finishes first.
 */
async function imageAndCode(
  record: FunctionRecord,
  deps: EnvironmentFactoryDeps,
): Promise<{ image: ImageInfo } & CodeDirs> {
  const ref = deps.images.refFor(record);
  const [image, dirs] = await Promise.allSettled([
    deps.images.find(ref),
    codeDirsFor(record, deps.codeCache),
  ]);
  if (image.status === 'rejected') throw image.reason;
  if (!image.value) throw new InvokeSystemError('image-missing', `Image not found: ${ref}`, false);
  if (dirs.status === 'rejected') throw dirs.reason;
  return { image: image.value, ...dirs.value };
}

export type EnvironmentFactory = (
  record: FunctionRecord,
  environmentId: string,
  options?: { provisioned: boolean },
) => Promise<ExecutionEnvironment>;

export function createEnvironmentFactory(deps: EnvironmentFactoryDeps): EnvironmentFactory {
  const { settings } = deps;
  return async (record, environmentId, options): Promise<ExecutionEnvironment> => {
    const { image, codeDir, layersDir } = await imageAndCode(record, deps);
    const cpuInput = {
      memoryMb: record.memoryMb,
      minCpuMillicores: settings.minCpuMillicores,
      initCpuMillicores: settings.initCpuMillicores ?? INIT_CPU_MILLICORES,
      hostCpus: settings.hostCpus,
    };
    const cpu = cpuLimits(cpuInput);
    const command = commandFor(record, image);
    const handler =
      record.packageType === 'Image'
        ? handlerForImage(record.imageConfig?.Command, image.cmd)
        : record.handler;
    // A published version's record carries its number; `$LATEST`'s carries none.
    const version = record.version ?? '$LATEST';
    const stream = logStreamName(new Date(), version);
    return startEnvironment({
      id: environmentId,
      logStreamName: stream,
      runtimeApiHost: settings.runtimeApiHost,
      restrictPeer: settings.restrictPeer,
      responseLimitBytes: DEFAULTS.RESPONSE_LIMIT_BYTES,
      streamLimitBytes: settings.streamLimitBytes,
      initTimeoutMs: settings.initTimeoutMs,
      log: {
        limitBytes: settings.logCaptureLimitBytes,
        settleMs: WORKER_DEFAULTS.LOG_SETTLE_MS,
        settleMaxMs: WORKER_DEFAULTS.LOG_SETTLE_MAX_MS,
        fenceMaxMs: WORKER_DEFAULTS.LOG_FENCE_MAX_MS,
      },
      logger: deps.logger.child({ envId: environmentId, functionName: record.name }),
      ...(cpu.initNanoCpus === cpu.nanoCpus ? {} : { nanoCpusAfterInit: cpu.nanoCpus }),
      launch: (runtimeApi, onOutput) => {
        const env = buildFunctionEnv({
          record,
          runtimeApi,
          region: settings.region,
          handler,
          logStreamName: stream,
          version,
          initializationType: options?.provisioned ? 'provisioned-concurrency' : 'on-demand',
        });
        const spec = buildContainerSpec({
          environmentId,
          functionName: record.name,
          generation: record.generation,
          ...cpuInput,
          ephemeralStorageMb: record.ephemeralStorageMb,
          image: image.id,
          env,
          command,
          codeDir,
          layersDir,
          network: settings.network,
          workerId: settings.workerId,
          user: settings.containerUser,
          logMaxSize: WORKER_DEFAULTS.CONTAINER_LOG_MAX_SIZE,
        });
        return deps.driver.create(spec, onOutput);
      },
    });
  };
}
