/**
 * Hardening, observed from inside a function: it does not run as root, cannot write outside
 * /tmp, holds no capabilities, has no Docker socket, and cannot reach Redis from the
 * functions network. Connections are attempted only to addresses of this machine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type Docker from 'dockerode';
import { subnetGateway, type IpamConfig } from '@lambdock/worker/subnet-gateway';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction, invoke } from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';

interface ProbeReport {
  uid: number;
  gid: number;
  writes: { path: string; writable: boolean }[];
  stats: { path: string; exists: boolean }[];
  process: { capEff: string; noNewPrivs: string };
  connections: {
    host: string;
    port: number;
    connected: boolean;
    answered?: boolean;
    closedBy?: string;
    ms: number;
  }[];
}

async function networkGateway(docker: Docker, name: string): Promise<string> {
  const info = (await docker.getNetwork(name).inspect()) as {
    IPAM: { Config: IpamConfig[] };
  };
  const gateway = subnetGateway(info.IPAM.Config);
  assert.ok(gateway, `network ${name} has a gateway address`);
  return gateway;
}

describe('function sandbox hardening', () => {
  const ctx = useStack([RUNTIME_IMAGES.node]);

  /** A new node-probe function named after `base`. */
  async function createProbe(
    base: string,
    settings: { timeout?: number; memorySize?: number } = {},
  ): Promise<string> {
    const name = uniqueName(base);
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-probe',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      ...settings,
    });
    return name;
  }

  /** The functions network's bridge address: the host as functions see it. */
  const functionsGateway = (): Promise<string> =>
    networkGateway(ctx.docker, process.env.FUNCTION_NETWORK ?? 'lambdock-functions');

  it('runs as non-root on a read-only root with a writable /tmp and no capabilities', async () => {
    const name = await createProbe('probe');
    const report = (await invoke(ctx.client, name, {})).json as ProbeReport;
    assert.notEqual(report.uid, 0);
    assert.notEqual(report.gid, 0);
    const writable = Object.fromEntries(report.writes.map((w) => [w.path, w.writable]));
    assert.deepEqual(writable, { '/var/task/x': false, '/etc/x': false, '/tmp/x': true });
    assert.ok(
      report.stats.every((s) => !s.exists),
      'no Docker socket inside the function',
    );
    assert.equal(report.process.capEff, '0000000000000000');
    assert.equal(report.process.noNewPrivs, '1');
  });

  it('cannot reach Redis or the gateway from the functions network', async () => {
    const name = await createProbe('probe-net', { timeout: 10 });
    const gateway = await functionsGateway();
    const targets = [
      { host: gateway, port: ctx.redis.port },
      { host: gateway, port: ctx.stack.gatewayPort },
      { host: '127.0.0.1', port: ctx.redis.port },
    ];
    const report = (await invoke(ctx.client, name, { targets, timeoutMs: 1500 }))
      .json as ProbeReport;
    assert.equal(report.connections.length, targets.length);
    for (const c of report.connections)
      assert.equal(c.connected, false, `${c.host}:${c.port} was reachable`);
  });

  it("cannot read the worker's health and metrics endpoint from the functions network", async () => {
    const name = await createProbe('probe-worker', { timeout: 10 });
    const gateway = await functionsGateway();
    // From the host the endpoint answers: it listens on every address, the bridge's included.
    const fromHost = await fetch(`http://${gateway}:${ctx.stack.workerPort}/metrics`);
    assert.equal(fromHost.status, 200);
    await fromHost.text();
    const targets = [{ host: gateway, port: ctx.stack.workerPort, http: true }];
    const report = (await invoke(ctx.client, name, { targets, timeoutMs: 1500 }))
      .json as ProbeReport;
    const [probe] = report.connections;
    const seen = JSON.stringify(probe);
    assert.equal(probe?.answered, false, `the worker answered a function: ${seen}`);
    // Reached, then closed by the worker at once: not a timeout, not an unreachable port.
    assert.equal(probe?.connected, true, seen);
    assert.ok(['end', 'ECONNRESET'].includes(probe?.closedBy ?? ''), seen);
    assert.ok((probe?.ms ?? Infinity) < 1000, seen);
  });

  it('stops a function at its open-file and process limits, and serves it again after', async () => {
    const name = await createProbe('probe-limits', { timeout: 30, memorySize: 1024 });
    const files = (await invoke(ctx.client, name, { exhaust: 'files' })).json as {
      files: { opened: number; code: string };
    };
    assert.equal(files.files.code, 'EMFILE');
    // The runtime holds a few descriptors of its own: 1,024 in all.
    assert.ok(
      files.files.opened > 900 && files.files.opened < 1024,
      `${files.files.opened} opened`,
    );
    const procs = (await invoke(ctx.client, name, { exhaust: 'processes' })).json as {
      processes: { started: number; code: string };
    };
    assert.equal(procs.processes.code, 'EAGAIN');
    // The runtime's own threads count against the 1,024 too.
    assert.ok(
      procs.processes.started > 900 && procs.processes.started < 1024,
      `${procs.processes.started} started`,
    );
    const after = await invoke(ctx.client, name, {});
    assert.equal(after.output.FunctionError, undefined);
  });
});
