import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildContainerSpec,
  cpuLimits,
  nanoCpusFor,
  type ContainerSpecInput,
} from '../src/containers/container-spec.js';

const input: ContainerSpecInput = {
  environmentId: 'abc123',
  functionName: 'demo',
  generation: 7,
  memoryMb: 256,
  ephemeralStorageMb: 1024,
  image: 'sha256:feed',
  env: ['A=1', 'AWS_LAMBDA_RUNTIME_API=172.30.0.1:4000'],
  command: {},
  codeDir: '/var/lib/lambdock/code/abc',
  network: 'lambdock-functions',
  workerId: 'w1',
  user: '993:993',
  hostCpus: 2,
  minCpuMillicores: 250,
  initCpuMillicores: 1000,
  logMaxSize: '1m',
};

describe('container spec', () => {
  it('is exactly the hardened, closed set of fields', () => {
    assert.deepEqual(buildContainerSpec(input), {
      name: 'lambdock-demo-abc123',
      Image: 'sha256:feed',
      Env: ['A=1', 'AWS_LAMBDA_RUNTIME_API=172.30.0.1:4000'],
      User: '993:993',
      Labels: {
        'lambdock.managed': 'true',
        'lambdock.worker': 'w1',
        'lambdock.function': 'demo',
        'lambdock.generation': '7',
        'lambdock.environment': 'abc123',
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
        Tmpfs: { '/tmp': 'rw,nosuid,nodev,size=1024m,mode=1777' },
        CapDrop: ['ALL'],
        SecurityOpt: ['no-new-privileges'],
        PidsLimit: 1024,
        Ulimits: [{ Name: 'nofile', Soft: 1024, Hard: 1024 }],
        Memory: 256 * 1024 * 1024,
        MemorySwap: 256 * 1024 * 1024,
        NanoCpus: 1_000_000_000,
        LogConfig: { Type: 'json-file', Config: { 'max-size': '1m', 'max-file': '1' } },
        NetworkMode: 'lambdock-functions',
        RestartPolicy: { Name: 'no' },
        Mounts: [
          {
            Type: 'bind',
            Source: '/var/lib/lambdock/code/abc',
            Target: '/var/task',
            ReadOnly: true,
          },
        ],
      },
    });
  });

  it("mounts a zip function's layers read-only at /opt", () => {
    const spec = buildContainerSpec({ ...input, layersDir: '/var/lib/lambdock/code/layers-def' });
    assert.deepEqual(spec.HostConfig?.Mounts, [
      { Type: 'bind', Source: '/var/lib/lambdock/code/abc', Target: '/var/task', ReadOnly: true },
      {
        Type: 'bind',
        Source: '/var/lib/lambdock/code/layers-def',
        Target: '/opt',
        ReadOnly: true,
      },
    ]);
  });

  it('adds image command overrides and no code mount for image functions', () => {
    const spec = buildContainerSpec({
      ...input,
      codeDir: undefined,
      command: { entrypoint: ['/entry'], cmd: ['app.handler'], workingDir: '/app' },
    });
    assert.deepEqual(spec.Entrypoint, ['/entry']);
    assert.deepEqual(spec.Cmd, ['app.handler']);
    assert.equal(spec.WorkingDir, '/app');
    assert.deepEqual(spec.HostConfig?.Mounts, []);
  });

  it('never adds capabilities, devices, privileged mode or host namespaces', () => {
    const host = buildContainerSpec(input).HostConfig ?? {};
    for (const key of [
      'CapAdd',
      'Devices',
      'PidMode',
      'IpcMode',
      'UsernsMode',
      'Binds',
      'PortBindings',
    ]) {
      assert.equal(key in host, false, key);
    }
  });

  it('scales CPU with memory like Lambda, with a floor and the host as ceiling', () => {
    assert.equal(nanoCpusFor(128, 250, 2), 250_000_000);
    assert.equal(nanoCpusFor(1769, 250, 2), 1_000_000_000);
    assert.equal(nanoCpusFor(10_240, 250, 2), 2_000_000_000);
  });

  it('allows init more CPU than the function share, within the host, never less than the share', () => {
    const limits = (memoryMb: number, initCpuMillicores: number, hostCpus = 2) =>
      cpuLimits({ memoryMb, minCpuMillicores: 250, initCpuMillicores, hostCpus });
    assert.deepEqual(limits(128, 1000), { initNanoCpus: 1_000_000_000, nanoCpus: 250_000_000 });
    assert.deepEqual(limits(128, 4000), { initNanoCpus: 2_000_000_000, nanoCpus: 250_000_000 });
    assert.deepEqual(limits(3538, 1000), {
      initNanoCpus: 2_000_000_000,
      nanoCpus: 2_000_000_000,
    });
    assert.deepEqual(limits(128, 100), { initNanoCpus: 250_000_000, nanoCpus: 250_000_000 });
    assert.deepEqual(limits(128, 1000, 0.5), { initNanoCpus: 500_000_000, nanoCpus: 250_000_000 });
  });
});
