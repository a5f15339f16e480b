/** Build a gateway app on in-memory fakes, plus shortcuts the tests share. */
import { Registry } from 'prom-client';
import {
  createSilentLogger,
  formatLastModified,
  type AliasRecord,
  type FunctionConfiguration,
  type FunctionRecord,
  type InvokeResultHeader,
  type Reply,
} from '@lambdock/core';
import type { RequestListener } from 'node:http';
import { createApp, createGatewayListener } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import type { GatewayDeps, GatewaySettings } from '../../src/deps.js';
import { createMetrics } from '../../src/metrics.js';
import { FakeLeases, FakeQueue, FakeReplies } from './fake-invocations.js';
import { MemoryLogs } from './memory-logs.js';
import { createMemoryAsync, type MemoryAsync } from './memory-async.js';
import { MemoryProvisioned } from './memory-provisioned.js';
import { MemoryLayers } from './memory-layers.js';
import { MemoryPolicies } from './memory-policies.js';
import { createMemorySources, type MemorySources } from './memory-sources.js';
import { MemoryRegistry } from './memory-registry.js';
import { MemoryVersions } from './memory-versions.js';
import { HANDLER_ZIP } from './zip.js';

export const REGION = 'us-east-1';
export const ACCOUNT = '111111111111';
export const ROLE = `arn:aws:iam::${ACCOUNT}:role/lambda-role`;
export const arn = (name: string, qualifier?: string): string =>
  `arn:aws:lambda:${REGION}:${ACCOUNT}:function:${name}${qualifier === undefined ? '' : `:${qualifier}`}`;

export interface TestGateway {
  /** The gateway as main.ts serves it: the Invoke fast path in front of the Express app. */
  app: RequestListener;
  /** The Express app alone over the same state: what the fast path must agree with. */
  expressApp: RequestListener;
  registry: MemoryRegistry;
  versions: MemoryVersions;
  queue: FakeQueue;
  replies: FakeReplies;
  leases: FakeLeases;
  logs: MemoryLogs;
  settings: GatewaySettings;
  metrics: ReturnType<typeof createMetrics>;
  ready: { value: boolean };
  sources: MemorySources;
  async: MemoryAsync;
  provisioned: MemoryProvisioned;
  policies: MemoryPolicies;
  layers: MemoryLayers;
}

export function createTestGateway(
  env: Record<string, string> = {},
  overrides: Partial<GatewayDeps> = {},
): TestGateway {
  const config = loadConfig({ LAMBDOCK_REGION: REGION, LAMBDOCK_ACCOUNT_ID: ACCOUNT, ...env });
  const settings: GatewaySettings = { ...config, replyChannel: 'lambdock:reply:test' };
  const registry = new MemoryRegistry();
  const versions = new MemoryVersions();
  const replies = new FakeReplies();
  const queue = new FakeQueue(replies);
  const leases = new FakeLeases();
  const logs = new MemoryLogs();
  const ready = { value: true };
  const sources = createMemorySources();
  const async = createMemoryAsync();
  const provisioned = new MemoryProvisioned();
  const policies = new MemoryPolicies();
  const layers = new MemoryLayers(registry.code);
  const metrics = createMetrics({
    registry: new Registry(),
    queueDepths: () => queue.depths(),
    processMetrics: false,
  });
  const deps: GatewayDeps = {
    settings,
    logger: createSilentLogger(),
    registry,
    versions,
    leases,
    queue,
    replies,
    logs,
    metrics,
    readiness: { isReady: async () => ready.value },
    sources,
    async,
    provisioned,
    policies,
    layers,
    ...overrides,
  };
  const options = { publicUrl: 'http://127.0.0.1:8080' };
  return {
    app: createGatewayListener(deps, options),
    expressApp: createApp(deps, options),
    registry,
    versions,
    queue,
    replies,
    leases,
    logs,
    settings,
    metrics,
    ready,
    sources,
    async,
    provisioned,
    policies,
    layers,
  };
}

/** A stored, Active zip function (what a worker's prepare job leaves behind). */
export function activeRecord(
  name: string,
  overrides: Partial<FunctionRecord> = {},
): FunctionRecord {
  return {
    name,
    packageType: 'Zip',
    runtime: 'python3.11',
    handler: 'handler.handler',
    role: ROLE,
    description: '',
    timeoutS: 3,
    memoryMb: 128,
    ephemeralStorageMb: 512,
    environment: {},
    codeSha256: 'A'.repeat(43) + '=',
    codeKey: 'ab'.repeat(32),
    codeSize: HANDLER_ZIP.length,
    architectures: ['x86_64'],
    loggingConfig: { LogFormat: 'Text', LogGroup: `/aws/lambda/${name}` },
    tags: {},
    state: 'Active',
    lastUpdateStatus: 'Successful',
    revisionId: '11111111-1111-4111-8111-111111111111',
    lastModified: formatLastModified(Date.UTC(2026, 0, 1)),
    generation: 1,
    ...overrides,
  };
}

export async function seed(gateway: TestGateway, record: FunctionRecord): Promise<void> {
  await gateway.registry.create(record, HANDLER_ZIP);
}

/**
 * Publish `name` as it stands (version 1, RevisionId `v1-rev`) and point alias `live` at it
 * (RevisionId `a-rev`); the alias is returned.
 */
export async function publishWithAlias(
  gateway: TestGateway,
  name: string,
  lastModified = '2026-03-01T12:00:00.000+0000',
): Promise<AliasRecord> {
  await gateway.versions.publish((await gateway.registry.get(name))!, {
    revisionId: 'v1-rev',
    lastModified,
  });
  const live: AliasRecord = {
    name: 'live',
    functionName: name,
    functionVersion: '1',
    description: '',
    revisionId: 'a-rev',
  };
  await gateway.versions.createAlias(live);
  return live;
}

/** The Invoke path of `name` (pass ARNs already percent-encoded). */
export const invokePath = (name: string): string => `/2015-03-31/functions/${name}/invocations`;

/** A test gateway with the Active function `demo`. */
export async function activeGateway(env: Record<string, string> = {}): Promise<TestGateway> {
  const gw = createTestGateway(env);
  await seed(gw, activeRecord('demo'));
  return gw;
}

export function reply(
  header: Partial<InvokeResultHeader> & { requestId: string },
  payload: string,
): Reply {
  return {
    header: { outcome: 'success', executedVersion: '$LATEST', ...header },
    payload: Buffer.from(payload),
  };
}

export function createRequestBody(
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    FunctionName: 'demo',
    Role: ROLE,
    Runtime: 'python3.11',
    Handler: 'handler.handler',
    Code: { ZipFile: HANDLER_ZIP.toString('base64') },
    ...overrides,
  };
}

/** supertest bodies are `any`; these name what each answer is. */
export const cfg = (res: { body: unknown }): FunctionConfiguration =>
  res.body as FunctionConfiguration;
export const errorOf = (res: {
  body: unknown;
}): { Type?: string; message?: string; Message?: string } =>
  res.body as { Type?: string; message?: string; Message?: string };
