/**
 * @module
 * In-memory stand-ins for the worker's interfaces: a container handle whose "process" is a
 * test function, and a driver holding containers in a map.
 */
import type { ExecutionEnvironment } from '../../src/invoke/environment.js';
import type {
  ContainerCreateOptions,
  ContainerDriver,
  ContainerHandle,
  ExitInfo,
  ImageInfo,
  ManagedContainer,
  OutputListener,
} from '../../src/containers/container-driver.js';

export interface FakeContainer extends ContainerHandle {
  readonly options: ContainerCreateOptions;
  readonly runtimeApi: string;
  killed: boolean;
  removed: boolean;
  /** Every CPU quota set on the running container, in order. */
  readonly cpuUpdates: number[];
  /** Make the container exit with a code (as if its process ended). */
  exit(code: number, oomKilled?: boolean): void;
  /** The engine stops answering the container's wait (Docker restarting). */
  loseWait(): void;
  print(text: string): void;
}

/** `body` is the container's process: it receives the Runtime API address and its container. */
export type ContainerBody = (container: FakeContainer) => void | Promise<void>;

export function fakeContainer(
  options: ContainerCreateOptions,
  onOutput: OutputListener,
  body: ContainerBody,
  ip = '127.0.0.1',
): FakeContainer {
  let exited: (exit: ExitInfo) => void = () => undefined;
  let lost: (err: Error) => void = () => undefined;
  const exitPromise = new Promise<ExitInfo>((resolve, reject) => {
    exited = resolve;
    lost = reject;
  });
  const env = options.Env ?? [];
  const runtimeApi =
    (env.find((e) => e.startsWith('AWS_LAMBDA_RUNTIME_API=')) ?? '').split('=')[1] ?? '';
  const container: FakeContainer = {
    id: 'f'.repeat(64),
    options,
    runtimeApi,
    killed: false,
    removed: false,
    cpuUpdates: [],
    start: async () => {
      setImmediate(() => void body(container));
    },
    wait: () => exitPromise,
    ipAddress: async () => ip,
    maxMemoryBytes: async () => 42 * 1024 * 1024,
    limitCpu: async (nanoCpus) => {
      container.cpuUpdates.push(nanoCpus);
    },
    kill: async () => {
      container.killed = true;
      exited({ code: 137, oomKilled: false });
    },
    remove: async () => {
      container.removed = true;
    },
    exit: (code, oomKilled = false) => exited({ code, oomKilled }),
    loseWait: () => lost(new Error('socket hang up')),
    print: (text) => onOutput(Buffer.from(text)),
  };
  return container;
}

export interface FakeDriver extends ContainerDriver {
  readonly images: Map<string, ImageInfo>;
  readonly containers: Map<string, ManagedContainer>;
  readonly removed: string[];
}

export function fakeDriver(images: Record<string, ImageInfo> = {}): FakeDriver {
  const driver: FakeDriver = {
    images: new Map(Object.entries(images)),
    containers: new Map(),
    removed: [],
    ping: async () => undefined,
    ensureNetwork: async (name) => ({ name, gateway: '172.30.0.1', subnets: ['172.30.0.0/16'] }),
    inspectImage: async (ref) => driver.images.get(ref),
    pullImage: async () => {
      throw new Error('no pulls in tests');
    },
    create: async () => {
      throw new Error('fakeDriver.create is not used; tests pass their own launch');
    },
    listManaged: async () => [...driver.containers.values()],
    remove: async (id) => {
      driver.removed.push(id);
      driver.containers.delete(id);
    },
  };
  return driver;
}

export const imageInfo = (cmd: string[] = [], entrypoint: string[] = []): ImageInfo => ({
  id: 'sha256:' + 'a'.repeat(64),
  entrypoint,
  cmd,
  workingDir: '/var/task',
});

/** An environment that only records its fate: for pool tests that never invoke it. */
export interface FakeEnv extends ExecutionEnvironment {
  destroyed: boolean;
  /** Die on its own (a crash): death listeners run. */
  die(): void;
}

export function fakeEnv(id: string): FakeEnv {
  const listeners: Array<() => void> = [];
  const env: FakeEnv = {
    id,
    destroyed: false,
    get dead() {
      return env.destroyed;
    },
    invoke: async () => {
      throw new Error('not used');
    },
    destroy: async () => {
      env.destroyed = true;
    },
    onDeath: (l) => void listeners.push(l),
    awaitInit: () => Promise.resolve(),
    die: () => {
      env.destroyed = true;
      for (const l of listeners) l();
    },
  };
  return env;
}
