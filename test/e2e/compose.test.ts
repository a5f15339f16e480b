/**
 * The shipped docker-compose.yml, run with Debian's docker-compose: the stack builds, comes
 * up, and an AWS SDK create + invoke through it succeeds. Images come from the offline bases
 * (the file's image variables), so no registry is needed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import { get } from 'node:http';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { requireDocker, requireImages, RUNTIME_IMAGES } from '../helpers/docker.js';
import { freePort } from '../helpers/free-port.js';
import { createZipFunction, invoke } from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const PROJECT = `ldkcompose${process.pid}`;

function compose(env: Record<string, string>, ...args: string[]): string {
  const result = spawnSync('docker-compose', ['-p', PROJECT, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    timeout: 600_000,
  });
  if (result.status !== 0) {
    throw new Error(`docker-compose ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

/**
 * Readiness probe over node:http with its own timeout: while the gateway container starts,
 * Docker's port proxy accepts connections and holds them, and an idle fetch() socket would
 * not keep the test's event loop alive.
 */
function isReady(url: string): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get(url, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.setTimeout(2000, () => req.destroy());
    req.on('error', () => resolve(false));
  });
}

/** Untagged images: the build stage of each `compose build` leaves one behind. */
function danglingImages(): Set<string> {
  const out = spawnSync('docker', ['images', '-q', '--no-trunc', '-f', 'dangling=true'], {
    encoding: 'utf8',
  });
  return new Set(out.stdout.split('\n').filter((id) => id !== ''));
}

describe('docker-compose stack', () => {
  let env: Record<string, string>;
  let danglingBefore = new Set<string>();

  before(async () => {
    const docker = await requireDocker();
    await requireImages(docker, [RUNTIME_IMAGES.node]);
    const version = spawnSync('docker-compose', ['version', '--short'], { encoding: 'utf8' });
    assert.equal(
      version.status,
      0,
      'docker-compose is required: apt-get install -y docker-compose',
    );
    const ca = process.env.NODE_EXTRA_CA_CERTS;
    if (ca && existsSync(ca)) copyFileSync(ca, `${ROOT}deploy/certs/extra-ca.crt`);
    const build = spawnSync(
      'docker',
      [
        'build',
        '-q',
        '-t',
        'lambdock/redis:7',
        '-f',
        'deploy/offline-bases/redis.Dockerfile',
        'deploy/offline-bases',
      ],
      { cwd: ROOT, env: { ...process.env, DOCKER_BUILDKIT: '0' }, encoding: 'utf8' },
    );
    assert.equal(build.status, 0, build.stderr);
    env = {
      LAMBDOCK_PORT: String(await freePort()),
      LAMBDOCK_NODE_IMAGE: 'lambdock/base-node:20',
      REDIS_IMAGE: 'lambdock/redis:7',
      LAMBDOCK_IMAGE: `lambdock/service:${PROJECT}`,
      LAMBDOCK_FUNCTIONS_NETWORK: `${PROJECT}-functions`,
      LAMBDOCK_FUNCTIONS_SUBNET: '10.213.77.0/24',
      LAMBDOCK_WORKER_IP: '10.213.77.2',
      DOCKER_BUILDKIT: '0',
      COMPOSE_DOCKER_CLI_BUILD: '0',
    };
    danglingBefore = danglingImages();
    compose(env, 'build');
    compose(env, 'up', '-d');
  });

  after(() => {
    if (!env) return;
    // Bounded: the services' stop_grace_period lets a drain run for 16 minutes.
    compose(env, 'down', '-v', '--remove-orphans', '-t', '60');
    // This run's images (its tag is unique to it, and the build stages it left untagged), so
    // repeated runs do not pile up; images that were there before are left alone.
    const mine = [...danglingImages()].filter((id) => !danglingBefore.has(id));
    spawnSync('docker', ['rmi', env.LAMBDOCK_IMAGE ?? '', ...mine], { encoding: 'utf8' });
  });

  it('answers an AWS SDK create and invoke through the composed stack', async () => {
    const endpoint = `http://127.0.0.1:${env.LAMBDOCK_PORT}`;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(await isReady(`${endpoint}/readyz`))) await sleep(500);
    const client = new LambdaClient({
      region: 'us-east-1',
      endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const name = uniqueName('compose');
    await createZipFunction(client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const { output, json, text } = await invoke(client, name, { via: 'compose' });
    assert.equal(output.StatusCode, 200);
    assert.equal(output.FunctionError, undefined, text);
    assert.deepEqual((json as { event: unknown }).event, { via: 'compose' });
  });
});
