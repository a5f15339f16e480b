/**
 * @module
 * ContainerDriver on the local Docker engine through dockerode. Images are never pulled here
 * unless asked (`pullImage`): `docker create` of a missing tag would otherwise fail anyway,
 * and the caller decides whether a pull is allowed at all.
 */
import Docker from 'dockerode';
import { createMaxMemoryReader } from './cgroup-memory.js';
import type {
  ContainerCreateOptions,
  ContainerDriver,
  ContainerHandle,
  ExitInfo,
  ImageInfo,
  ManagedContainer,
  NetworkInfo,
  OutputListener,
} from './container-driver.js';
import { LABELS } from './container-spec.js';
import { parseCidr, subnetGateway, type IpamConfig } from './subnet-gateway.js';
import { createDemuxer } from './demux-stream.js';

function statusOf(err: unknown): number | undefined {
  const code = (err as { statusCode?: unknown } | null)?.statusCode;
  return typeof code === 'number' ? code : undefined;
}

/** Run a Docker call whose "already so" answers (404 gone, 304/409 not running) are fine. */
async function tolerate(call: Promise<unknown>, statuses: readonly number[]): Promise<void> {
  try {
    await call;
  } catch (err) {
    if (!statuses.includes(statusOf(err) ?? 0)) throw err;
  }
}

/** Docker reports a shell-form ENTRYPOINT as a string; treat it as one word list. */
function asList(value: string | string[] | null | undefined): string[] {
  if (value === null || value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}

function createHandle(container: Docker.Container, network: string): ContainerHandle {
  let exit: Promise<ExitInfo> | undefined;
  const memory = createMaxMemoryReader(container.id);
  const waitForExit = async (): Promise<ExitInfo> => {
    const result = (await container.wait()) as { StatusCode?: number };
    const info = await container.inspect().catch(() => undefined);
    return { code: result.StatusCode ?? -1, oomKilled: info?.State.OOMKilled === true };
  };
  return {
    id: container.id,
    start: async () => {
      await container.start();
    },
    wait: () => (exit ??= waitForExit()),
    ipAddress: async () => {
      const info = await container.inspect();
      const address = info.NetworkSettings.Networks[network]?.IPAddress;
      return address === undefined || address === '' ? undefined : address;
    },
    maxMemoryBytes: () => memory.read(),
    // Docker answers 500 for a container that stopped meanwhile: nothing left to limit then.
    limitCpu: async (nanoCpus) => {
      try {
        await tolerate(container.update({ NanoCpus: nanoCpus }), [404, 409]);
      } catch (err) {
        const info = await container.inspect().catch(() => undefined);
        if (info?.State.Running === true) throw err;
      }
    },
    kill: () => tolerate(container.kill({ signal: 'SIGKILL' }), [304, 404, 409]),
    remove: () => {
      memory.close();
      return tolerate(container.remove({ force: true, v: true }), [404, 409]);
    },
  };
}

export function createDockerDriver(socketPath: string): ContainerDriver {
  const docker = new Docker({ socketPath });

  const inspectNetwork = async (name: string): Promise<NetworkInfo | undefined> => {
    try {
      const info = (await docker.getNetwork(name).inspect()) as {
        Name: string;
        IPAM?: { Config?: IpamConfig[] };
      };
      const configs = info.IPAM?.Config ?? [];
      const gateway = subnetGateway(configs);
      const subnets = configs.map((c) => c.Subnet ?? '').filter((s) => parseCidr(s) !== undefined);
      return { name: info.Name, gateway, subnets };
    } catch (err) {
      if (statusOf(err) === 404) return undefined;
      throw err;
    }
  };

  return {
    ping: async () => {
      await docker.ping();
    },
    /*
     * What a function on this bridge can reach (measured on Docker 20.10, iptables backend):
     * - The host, on EVERY host address (this bridge's gateway, docker0, other bridges'
     *   gateways), even with `Internal: true`: traffic to the host goes through INPUT, and
     *   Docker's isolation rules live in FORWARD. So any host service listening on 0.0.0.0
     *   (Redis, the gateway, a Docker TCP socket) is reachable. Services bound to 127.0.0.1
     *   are not. Hence: Redis must listen on loopback or a network functions are not on.
     * - Nothing beyond the host when `Internal: true` (no internet, no other networks).
     * - Not each other, with inter-container communication off (set below). That also cuts
     *   functions off from a worker that is itself a container on this network, so compose
     *   creates the network itself with ICC on and the Runtime API listeners check the peer.
     * A concurrent creator (another worker on this host) answers 409; then it simply exists.
     */
    async ensureNetwork(name, { internal }) {
      const existing = await inspectNetwork(name);
      if (existing) return existing;
      await tolerate(
        docker.createNetwork({
          Name: name,
          Driver: 'bridge',
          Internal: internal,
          CheckDuplicate: true,
          Options: { 'com.docker.network.bridge.enable_icc': 'false' },
          Labels: { [LABELS.MANAGED]: 'true' },
        }),
        [409],
      );
      const created = await inspectNetwork(name);
      if (!created) throw new Error(`network ${name} could not be created`);
      return created;
    },
    async inspectImage(ref) {
      try {
        const info = await docker.getImage(ref).inspect();
        return {
          id: info.Id,
          entrypoint: asList(info.Config.Entrypoint),
          cmd: info.Config.Cmd ?? [],
          workingDir: info.Config.WorkingDir ?? '',
        } satisfies ImageInfo;
      } catch (err) {
        if (statusOf(err) === 404) return undefined;
        throw err;
      }
    },
    async pullImage(ref) {
      const stream = await docker.pull(ref);
      await new Promise<void>((resolve, reject) => {
        docker.modem.followProgress(stream, (err: Error | null) => (err ? reject(err) : resolve()));
      });
    },
    async create(options: ContainerCreateOptions, onOutput: OutputListener) {
      const container = await docker.createContainer(options);
      try {
        const stream = await container.attach({ stream: true, stdout: true, stderr: true });
        const demux = createDemuxer((payload) => onOutput(payload));
        stream.on('data', (chunk: Buffer) => demux(chunk));
        stream.on('error', () => undefined);
      } catch (err) {
        await tolerate(container.remove({ force: true }), [404, 409]);
        throw err;
      }
      return createHandle(container, options.HostConfig?.NetworkMode ?? 'bridge');
    },
    async listManaged(): Promise<ManagedContainer[]> {
      const rows = await docker.listContainers({
        all: true,
        filters: { label: [`${LABELS.MANAGED}=true`] },
      });
      return rows.map((row) => ({ id: row.Id, labels: row.Labels ?? {} }));
    },
    remove: (id) => tolerate(docker.getContainer(id).remove({ force: true, v: true }), [404, 409]),
  };
}
