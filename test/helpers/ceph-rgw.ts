/**
 * @module
 * A throwaway single-node Ceph (monitor, memstore OSD, RADOS Gateway) on loopback ports in a
 * scratch dir: a real S3 store that POSTs bucket notifications to a webhook. Plus thin wrappers
 * over the Debian AWS CLI v2 (always /usr/bin/aws: another `aws` may come first on PATH).
 * Topics are non-persistent, so RGW delivers each record inline with the S3 request that
 * caused it; persistent topics would only be picked up at RGW's next 30 s scan.
 * Needs: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common awscli
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync } from 'node:fs';
import { rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './free-port.js';

export interface CephRgw {
  endpoint: string;
  accessKey: string;
  secretKey: string;
  region: 'default';
  stop(): Promise<void>;
}

export interface WebhookNotification {
  bucket: string;
  topic: string;
  /** Full URL; RGW cannot send headers, so a secret travels here (e.g. `?token=`). */
  pushEndpoint: string;
  events: string[];
  prefix?: string;
  suffix?: string;
  id: string;
}

const AWS_CLI = '/usr/bin/aws';
const CEPH_BINARIES = ['monmaptool', 'ceph-mon', 'ceph-osd', 'radosgw', 'radosgw-admin', 'ceph'];
const START_TIMEOUT_MS = 120_000;
const POLL_INTERVAL_MS = 50;
const LOG_TAIL_LINES = 15;

export function cephAvailable(): boolean {
  const dirs = (process.env.PATH ?? '').split(delimiter).filter((d) => d !== '');
  const onPath = (bin: string): boolean => dirs.some((d) => existsSync(join(d, bin)));
  return CEPH_BINARIES.every(onPath) && existsSync(AWS_CLI);
}

interface RunOptions {
  env?: NodeJS.ProcessEnv;
  timeoutMs?: number;
}

/** Run a command to completion; reject with its stderr when it fails. */
async function run(cmd: string, args: string[], options: RunOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const opts = { env: options.env, timeout: options.timeoutMs ?? 60_000, maxBuffer: 1 << 24 };
    execFile(cmd, args, opts, (err, stdout, stderr) => {
      if (err === null) resolve(stdout);
      else reject(new Error(`${cmd} ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
    });
  });
}

function cephConf(dir: string, fsid: string, monPort: number, rgwPort: number): string {
  return `[global]
fsid = ${fsid}
mon host = v1:127.0.0.1:${monPort}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
ms bind msgr2 = false
auth cluster required = none
auth service required = none
auth client required = none
run dir = ${dir}/run
log file = ${dir}/log/$name.log
admin socket = ${dir}/run/$name.asok
keyring = ${dir}/keyring
mon cluster log file = ${dir}/log/cluster.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg num = 8
osd pool default pgp num = 8
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon warn on pool no redundancy = false
# RGW creates its pools one by one; the default 1 s batching of map changes costs ~10 s.
paxos propose interval = 0.01
[mon]
mon data = ${dir}/mon
[osd]
osd data = ${dir}/osd
osd objectstore = memstore
memstore device bytes = 2147483648
# Placed explicitly before boot: the OSD's own crush update can race the fresh monitor.
osd crush update on start = false
osd class update on start = false
osd op num shards = 1
osd op num threads per shard = 1
[client.rgw.a]
rgw frontends = beast endpoint=127.0.0.1:${rgwPort}
rgw enable apis = s3, admin, sns, notifications
rgw data = ${dir}/rgw
rgw thread pool size = 16
`;
}

interface Daemon {
  name: string;
  child: ChildProcess;
}

function startDaemon(dir: string, name: string, bin: string, args: string[]): Daemon {
  const out = openSync(join(dir, 'log', `${name}.out`), 'a');
  try {
    const child = spawn(bin, ['-f', '-c', join(dir, 'ceph.conf'), ...args], {
      stdio: ['ignore', out, out],
    });
    child.on('error', () => undefined); // surfaces as an exit the readiness poll reports
    return { name, child };
  } finally {
    closeSync(out);
  }
}

function tail(file: string): string {
  if (!existsSync(file)) return '';
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  return lines.slice(-LOG_TAIL_LINES).join('\n');
}

function diagnostics(dir: string, daemons: Daemon[]): string {
  return daemons
    .map(({ name }) => {
      const text = [tail(join(dir, 'log', `${name}.out`)), tail(join(dir, 'log', `${name}.log`))];
      return `--- ${name} ---\n${text.filter((t) => t !== '').join('\n')}`;
    })
    .join('\n');
}

async function killAll(daemons: Daemon[]): Promise<void> {
  await Promise.all(
    daemons.map(async ({ child }) => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      // memstore keeps nothing worth flushing; SIGTERM makes the OSD wait for the monitor.
      child.kill('SIGKILL');
      await exited;
    }),
  );
}

/**
 * An idempotent monitor command, retried: a client that reaches a just-elected monitor
 * before it has the monmap sends a zero fsid and is refused with EPERM.
 */
async function cephCommand(conf: string, args: string[], deadline: number): Promise<void> {
  for (;;) {
    const left = deadline - Date.now();
    const connect = String(Math.max(1, Math.ceil(left / 1000)));
    try {
      await run('ceph', ['-c', conf, '--connect-timeout', connect, ...args], {
        timeoutMs: Math.max(1, left),
      });
      return;
    } catch (err) {
      if (Date.now() + POLL_INTERVAL_MS > deadline) throw err;
      await sleep(POLL_INTERVAL_MS);
    }
  }
}

async function rgwAnswers(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(endpoint, { signal: AbortSignal.timeout(1000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

async function waitForRgw(endpoint: string, daemons: Daemon[], deadline: number): Promise<void> {
  for (;;) {
    const dead = daemons.find(({ child }) => child.exitCode !== null || child.signalCode !== null);
    if (dead !== undefined) {
      const how = dead.child.signalCode ?? `code ${String(dead.child.exitCode)}`;
      throw new Error(`${dead.name} exited during start (${how})`);
    }
    if (await rgwAnswers(endpoint)) return;
    if (Date.now() > deadline) throw new Error(`RGW at ${endpoint} did not answer in time`);
    await sleep(POLL_INTERVAL_MS);
  }
}

async function bringUp(dir: string, daemons: Daemon[]): Promise<CephRgw> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  const [monPort, rgwPort] = [await freePort(), await freePort()];
  const conf = join(dir, 'ceph.conf');
  const [fsid, osdUuid] = [randomUUID(), randomUUID()];
  for (const sub of ['mon', 'osd', 'rgw', 'run', 'log']) mkdirSync(join(dir, sub));
  writeFileSync(conf, cephConf(dir, fsid, monPort, rgwPort));
  const monmap = join(dir, 'monmap');
  await run('monmaptool', [
    '--create',
    '--fsid',
    fsid,
    '--add',
    'a',
    `v1:127.0.0.1:${monPort}`,
    monmap,
  ]);
  await Promise.all([
    run('ceph-mon', ['-c', conf, '-i', 'a', '--mkfs', '--monmap', monmap]),
    run('ceph-osd', ['-c', conf, '-i', '0', '--mkfs', '--osd-uuid', osdUuid, '--no-mon-config']),
  ]);
  daemons.push(startDaemon(dir, 'mon.a', 'ceph-mon', ['-i', 'a']));
  await cephCommand(conf, ['osd', 'create', osdUuid], deadline);
  await cephCommand(conf, ['osd', 'crush', 'add', 'osd.0', '1.0', 'root=default'], deadline);
  daemons.push(startDaemon(dir, 'osd.0', 'ceph-osd', ['-i', '0']));
  daemons.push(startDaemon(dir, 'client.rgw.a', 'radosgw', ['-n', 'client.rgw.a']));
  const endpoint = `http://127.0.0.1:${rgwPort}`;
  await waitForRgw(endpoint, daemons, deadline);
  const accessKey = `LD${randomBytes(9).toString('hex').toUpperCase()}`;
  const secretKey = randomBytes(20).toString('hex');
  const user = ['user', 'create', '--uid', 'lambdock', '--display-name', 'lambdock'];
  await run('radosgw-admin', [
    '-c',
    conf,
    ...user,
    '--access-key',
    accessKey,
    '--secret-key',
    secretKey,
  ]);
  const stop = async (): Promise<void> => {
    await killAll(daemons);
    rmSync(dir, { recursive: true, force: true });
  };
  return { endpoint, accessKey, secretKey, region: 'default', stop };
}

/** Start a fresh cluster; on any failure every daemon is killed and the dir removed. */
export async function startCephRgw(): Promise<CephRgw> {
  if (!cephAvailable()) {
    throw new Error(
      'Ceph RGW and the Debian AWS CLI are required and were not found.\n' +
        'Fix: apt-get install -y --no-install-recommends radosgw ceph-mon ceph-osd ceph-common awscli',
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'lambdock-ceph-'));
  const daemons: Daemon[] = [];
  try {
    return await bringUp(dir, daemons);
  } catch (err) {
    const detail = diagnostics(dir, daemons);
    await killAll(daemons);
    rmSync(dir, { recursive: true, force: true });
    const message = err instanceof Error ? err.message : String(err);
    throw new Error(`Ceph RGW failed to start: ${message}\n${detail}`, { cause: err });
  }
}

/** `/usr/bin/aws --endpoint-url <rgw> ...args`; resolves to stdout, rejects with stderr. */
export async function s3cli(rgw: CephRgw, args: string[]): Promise<string> {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LANG: 'C.UTF-8',
    AWS_ACCESS_KEY_ID: rgw.accessKey,
    AWS_SECRET_ACCESS_KEY: rgw.secretKey,
    AWS_DEFAULT_REGION: rgw.region,
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
    AWS_EC2_METADATA_DISABLED: 'true',
  };
  try {
    return await run(AWS_CLI, ['--endpoint-url', rgw.endpoint, '--output', 'json', ...args], {
      env,
    });
  } catch (err) {
    // CLI 2.9 crashes on RGW error bodies with an empty <Message>, hiding the error code.
    const message = err instanceof Error ? err.message : String(err);
    const hint = message.includes("'NoneType' is not iterable")
      ? ' (RGW answered an error with an empty message; add --debug to see its code)'
      : '';
    throw new Error(`${message}${hint}`, { cause: err });
  }
}

export async function createBucket(rgw: CephRgw, bucket: string): Promise<void> {
  await s3cli(rgw, ['s3api', 'create-bucket', '--bucket', bucket]);
}

export async function putObject(
  rgw: CephRgw,
  bucket: string,
  key: string,
  body: Buffer | string,
): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'lambdock-s3-body-'));
  try {
    const file = join(dir, 'body');
    writeFileSync(file, body);
    await s3cli(rgw, ['s3api', 'put-object', '--bucket', bucket, '--key', key, '--body', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function deleteObject(rgw: CephRgw, bucket: string, key: string): Promise<void> {
  await s3cli(rgw, ['s3api', 'delete-object', '--bucket', bucket, '--key', key]);
}

/** Create a non-persistent SNS topic pushing to the URL and attach it to the bucket. */
export async function notifyWebhook(rgw: CephRgw, n: WebhookNotification): Promise<void> {
  const attributes = JSON.stringify({ 'push-endpoint': n.pushEndpoint, persistent: 'false' });
  const created = await s3cli(rgw, [
    'sns',
    'create-topic',
    '--name',
    n.topic,
    '--attributes',
    attributes,
  ]);
  const { TopicArn } = JSON.parse(created) as { TopicArn: string };
  const rules = [
    ...(n.prefix === undefined ? [] : [{ Name: 'prefix', Value: n.prefix }]),
    ...(n.suffix === undefined ? [] : [{ Name: 'suffix', Value: n.suffix }]),
  ];
  const config = {
    TopicConfigurations: [
      {
        Id: n.id,
        TopicArn,
        Events: n.events,
        ...(rules.length === 0 ? {} : { Filter: { Key: { FilterRules: rules } } }),
      },
    ],
  };
  await s3cli(rgw, [
    's3api',
    'put-bucket-notification-configuration',
    '--bucket',
    n.bucket,
    '--notification-configuration',
    JSON.stringify(config),
  ]);
}
