/**
 * @module
 * The one place Docker create options are made, from a closed set of typed fields. Nothing a
 * user sends (function config, image labels) is merged in raw: every field below is either a
 * constant of the hardening policy or derived from a validated number or string.
 */
import { DEFAULTS } from '@lambdock/core';
import type { ContainerCreateOptions } from './container-driver.js';

/** Lambda's documented ratio: 1,769 MB of memory buys one full vCPU. */
const MB_PER_VCPU = 1769;

/**
 * CPU a container may use until its runtime first asks for an event. Starting Node or Python
 * is CPU-bound: under a quarter-core CFS quota the start is throttled in every 100 ms period
 * and a 100 ms start takes 400 ms. One core lets init run at full speed; the function's own
 * share applies from its first `/next` on (see environment.ts).
 */
export const INIT_CPU_MILLICORES = 1000;

export const LABELS = Object.freeze({
  MANAGED: 'lambdock.managed',
  WORKER: 'lambdock.worker',
  FUNCTION: 'lambdock.function',
  GENERATION: 'lambdock.generation',
  ENVIRONMENT: 'lambdock.environment',
});

export interface CommandOverride {
  readonly entrypoint?: readonly string[];
  readonly cmd?: readonly string[];
  readonly workingDir?: string;
}

export interface ContainerSpecInput {
  readonly environmentId: string;
  readonly functionName: string;
  readonly generation: number;
  readonly memoryMb: number;
  readonly ephemeralStorageMb: number;
  readonly image: string;
  /** `KEY=value` lines from env-vars.ts. */
  readonly env: readonly string[];
  readonly command: CommandOverride;
  /** Host directory of extracted zip code, mounted read-only at /var/task. */
  readonly codeDir: string | undefined;
  /** Host directory of the function's layers, merged, mounted read-only at /opt. */
  readonly layersDir?: string | undefined;
  readonly network: string;
  readonly workerId: string;
  readonly user: string;
  readonly hostCpus: number;
  readonly minCpuMillicores: number;
  /** CPU during init (see INIT_CPU_MILLICORES); never below the function's own share. */
  readonly initCpuMillicores: number;
  readonly logMaxSize: string;
}

/** CPU in nano-CPUs: proportional to memory like Lambda, with a floor and the host as ceiling. */
export function nanoCpusFor(memoryMb: number, minMillicores: number, hostCpus: number): number {
  const cpus = Math.min(Math.max(memoryMb / MB_PER_VCPU, minMillicores / 1000), hostCpus);
  return Math.round(cpus * 1e9);
}

export interface CpuLimits {
  /** NanoCpus the container is created with: its init allowance. */
  readonly initNanoCpus: number;
  /** NanoCpus from the first `/next` on: the function's share of the host. */
  readonly nanoCpus: number;
}

export function cpuLimits(
  input: Pick<
    ContainerSpecInput,
    'memoryMb' | 'minCpuMillicores' | 'initCpuMillicores' | 'hostCpus'
  >,
): CpuLimits {
  const nanoCpus = nanoCpusFor(input.memoryMb, input.minCpuMillicores, input.hostCpus);
  const init = Math.min(input.initCpuMillicores / 1000, input.hostCpus);
  return { initNanoCpus: Math.max(nanoCpus, Math.round(init * 1e9)), nanoCpus };
}

export function containerName(functionName: string, environmentId: string): string {
  return `lambdock-${functionName}-${environmentId}`;
}

function readOnlyBind(source: string, target: string) {
  return { Type: 'bind', Source: source, Target: target, ReadOnly: true } as const;
}

export function buildContainerSpec(input: ContainerSpecInput): ContainerCreateOptions {
  const memoryBytes = input.memoryMb * 1024 * 1024;
  const options: ContainerCreateOptions = {
    name: containerName(input.functionName, input.environmentId),
    Image: input.image,
    Env: [...input.env],
    User: input.user,
    Labels: {
      [LABELS.MANAGED]: 'true',
      [LABELS.WORKER]: input.workerId,
      [LABELS.FUNCTION]: input.functionName,
      [LABELS.GENERATION]: String(input.generation),
      [LABELS.ENVIRONMENT]: input.environmentId,
    },
    AttachStdin: false,
    AttachStdout: true,
    AttachStderr: true,
    OpenStdin: false,
    Tty: false,
    HostConfig: {
      AutoRemove: false,
      Privileged: false,
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${input.ephemeralStorageMb}m,mode=1777` },
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      PidsLimit: DEFAULTS.PIDS_LIMIT,
      Ulimits: [{ Name: 'nofile', Soft: DEFAULTS.NOFILE_LIMIT, Hard: DEFAULTS.NOFILE_LIMIT }],
      Memory: memoryBytes,
      MemorySwap: memoryBytes,
      NanoCpus: cpuLimits(input).initNanoCpus,
      LogConfig: { Type: 'json-file', Config: { 'max-size': input.logMaxSize, 'max-file': '1' } },
      NetworkMode: input.network,
      RestartPolicy: { Name: 'no' },
      Mounts: [
        ...(input.codeDir === undefined ? [] : [readOnlyBind(input.codeDir, '/var/task')]),
        ...(input.layersDir === undefined ? [] : [readOnlyBind(input.layersDir, '/opt')]),
      ],
    },
  };
  if (input.command.entrypoint !== undefined) options.Entrypoint = [...input.command.entrypoint];
  if (input.command.cmd !== undefined) options.Cmd = [...input.command.cmd];
  if (input.command.workingDir !== undefined) options.WorkingDir = input.command.workingDir;
  return options;
}
