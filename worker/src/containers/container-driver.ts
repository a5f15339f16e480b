/**
 * @module
 * What the worker needs from a container engine, and nothing more. Docker (dockerode) is one
 * implementation; unit tests use an in-memory fake. Create options are the closed set built
 * by container-spec.ts, never user input.
 */
import type { ContainerCreateOptions } from 'dockerode';

export type { ContainerCreateOptions };

export interface ImageInfo {
  readonly id: string;
  readonly entrypoint: readonly string[];
  readonly cmd: readonly string[];
  readonly workingDir: string;
}

export interface NetworkInfo {
  readonly name: string;
  /** The bridge's address on the host side: where containers reach the host. */
  readonly gateway: string | undefined;
  /** The network's IPv4 subnets (CIDR): where function containers' connections come from. */
  readonly subnets: readonly string[];
}

export interface ExitInfo {
  readonly code: number;
  readonly oomKilled: boolean;
  /** The engine stopped answering the wait (restarting): what became of the container is unknown. */
  readonly engineLost?: boolean;
}

export interface ManagedContainer {
  readonly id: string;
  readonly labels: Readonly<Record<string, string>>;
}

export interface ContainerHandle {
  readonly id: string;
  start(): Promise<void>;
  /** Resolves once, when the container stops for any reason. */
  wait(): Promise<ExitInfo>;
  /** The container's address on its network, known once it has started. */
  ipAddress(): Promise<string | undefined>;
  /** Peak memory of the container's cgroup, when the host exposes it. */
  maxMemoryBytes(): Promise<number | undefined>;
  /** Change the CPU quota of the running container; a stopped or gone one is not an error. */
  limitCpu(nanoCpus: number): Promise<void>;
  /** SIGKILL; a container that is not running is not an error. */
  kill(): Promise<void>;
  /** Force-remove; a container that is already gone is not an error. */
  remove(): Promise<void>;
}

/** Receives the container's stdout and stderr, interleaved in arrival order. */
export type OutputListener = (chunk: Buffer) => void;

export interface ContainerDriver {
  ping(): Promise<void>;
  ensureNetwork(name: string, options: { internal: boolean }): Promise<NetworkInfo>;
  inspectImage(ref: string): Promise<ImageInfo | undefined>;
  pullImage(ref: string): Promise<void>;
  /** Create the container and attach to its output before it starts (nothing is missed). */
  create(options: ContainerCreateOptions, onOutput: OutputListener): Promise<ContainerHandle>;
  listManaged(): Promise<ManagedContainer[]>;
  remove(id: string): Promise<void>;
}
