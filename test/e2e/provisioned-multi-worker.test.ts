/**
 * Provisioned concurrency with two workers on one Redis: the environments are spread over both,
 * every sync invocation (sequential and concurrent) runs on a provisioned environment whichever
 * worker BullMQ would have handed the job to (no Init Duration, no spillover, the provisioned
 * counter grows by exactly the number of invocations), a SIGKILLed worker's share moves to the
 * survivor and the config is READY again, and an 80/20 alias with 5 gets 4 + 1 environments.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import {
  CreateAliasCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  InvokeCommand,
  type LambdaClient,
  PublishVersionCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import type Docker from 'dockerode';
import { functionContainers, RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction, waitUpdated } from '../helpers/lambda.js';
import {
  containersPerWorker,
  metricSum,
  putProvisionedReady,
  scrape,
  WORKER_LABEL,
} from '../helpers/provisioned.js';
import { uniqueName, type WorkerProcess } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

const WAIT_MS = 60_000;

/** Poll `probe` every 250 ms until it answers, for at most a minute. */
const until = <T>(what: string, probe: () => Promise<T | undefined>): Promise<T> =>
  waitFor(what, WAIT_MS, probe, 250);

async function status(client: LambdaClient, name: string, qualifier: string): Promise<string> {
  const got = await client.send(
    new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }),
  );
  return got.Status ?? '';
}

/** Running containers of the function per version (from the environment it was given). */
async function perVersion(docker: Docker, name: string): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const c of await functionContainers(docker, name)) {
    if (c.State !== 'running') continue;
    // Environments come and go while the plan hands them over: a vanished one is not counted.
    const info = await docker
      .getContainer(c.Id)
      .inspect()
      .catch(() => undefined);
    if (info?.State.Running !== true) continue;
    const env = info.Config.Env ?? [];
    const version =
      env.find((e) => e.startsWith('AWS_LAMBDA_FUNCTION_VERSION='))?.split('=')[1] ?? '?';
    counts[version] = (counts[version] ?? 0) + 1;
  }
  return counts;
}

interface Counters {
  provisioned: number;
  spillover: number;
  perWorker: number[];
}

async function counters(urls: readonly string[], fn: string): Promise<Counters> {
  const texts = await scrape(urls);
  const of = (metric: string): number[] => texts.map((t) => metricSum(t, metric, { function: fn }));
  const provisioned = of('lambdock_provisioned_concurrency_invocations_total');
  return {
    provisioned: provisioned.reduce((a, b) => a + b, 0),
    spillover: of('lambdock_provisioned_concurrency_spillover_invocations_total').reduce(
      (a, b) => a + b,
      0,
    ),
    perWorker: provisioned,
  };
}

/** Invoke through the alias and check it ran on a provisioned environment. */
async function invokeOnProvisioned(client: LambdaClient, name: string): Promise<void> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: name,
      Qualifier: 'live',
      LogType: 'Tail',
      Payload: Buffer.from('{}'),
    }),
  );
  const text = Buffer.from(out.Payload ?? new Uint8Array()).toString();
  assert.equal(out.FunctionError, undefined, text);
  const log = Buffer.from(out.LogResult ?? '', 'base64').toString();
  assert.match(log, /REPORT RequestId: /);
  assert.doesNotMatch(log, /Init Duration/, 'ran on an environment initialized ahead of time');
  const body = JSON.parse(text) as { env: Record<string, unknown> };
  assert.equal(body.env.AWS_LAMBDA_INITIALIZATION_TYPE, 'provisioned-concurrency');
}

describe('provisioned concurrency across two workers', () => {
  const ctx = useStack([RUNTIME_IMAGES.node]);
  let second: WorkerProcess;
  let name: string;
  let urls: string[];

  before(async () => {
    second = await ctx.stack.startExtraWorker('w2');
    urls = [ctx.stack.workerPort, second.port].map((p) => `http://127.0.0.1:${p}/metrics`);
    name = uniqueName('pcm');
    const { client } = ctx;
    await createZipFunction(client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const published = await client.send(new PublishVersionCommand({ FunctionName: name }));
    await client.send(
      new CreateAliasCommand({
        FunctionName: name,
        Name: 'live',
        FunctionVersion: published.Version ?? '',
      }),
    );
  });

  it('spreads 2 over both workers and runs every sync invoke on a provisioned one', async () => {
    const { client, docker, stack } = ctx;
    await putProvisionedReady(client, name, 'live', 2);
    const spread = await until('one environment on each worker', async () => {
      const counts = await containersPerWorker(docker, name);
      return counts[`${stack.prefix}-w`] === 1 && counts[second.id] === 1 ? counts : undefined;
    });
    assert.equal(Object.keys(spread).length, 2);

    const before = await counters(urls, name);
    const sequential = 12;
    for (let i = 0; i < sequential; i++) await invokeOnProvisioned(client, name);
    const rounds = 6;
    for (let i = 0; i < rounds; i++)
      await Promise.all([invokeOnProvisioned(client, name), invokeOnProvisioned(client, name)]);
    const after = await counters(urls, name);
    const total = sequential + rounds * 2;
    assert.equal(after.provisioned - before.provisioned, total);
    assert.equal(after.spillover, before.spillover, 'no spillover');
    const byWorker = after.perWorker.map((n, i) => n - (before.perWorker[i] ?? 0));
    assert.ok(
      byWorker.every((n) => n > 0),
      `both workers ran some: ${byWorker.join(' + ')}`,
    );
    process.stderr.write(
      `# provisioned-multi-worker: ${total} invokes, ${after.provisioned - before.provisioned} on provisioned (${byWorker.join(' + ')}), spillover ${after.spillover - before.spillover}\n`,
    );
  });

  it('moves a killed worker’s share to the survivor and is READY again', async () => {
    const { client, docker, stack } = ctx;
    const killedAt = Date.now();
    await second.kill('SIGKILL');
    await until('two environments on the survivor and READY', async () => {
      const counts = await containersPerWorker(docker, name);
      const ready = (await status(client, name, 'live')) === 'READY';
      return counts[`${stack.prefix}-w`] === 2 && ready ? true : undefined;
    });
    const movedMs = Date.now() - killedAt;
    const survivor = urls.slice(0, 1);
    const before = await counters(survivor, name);
    for (let i = 0; i < 3; i++) await invokeOnProvisioned(client, name);
    await Promise.all([invokeOnProvisioned(client, name), invokeOnProvisioned(client, name)]);
    const after = await counters(survivor, name);
    assert.equal(after.provisioned - before.provisioned, 5);
    assert.equal(after.spillover, before.spillover);
    process.stderr.write(
      `# provisioned-multi-worker: share moved and READY ${movedMs} ms after SIGKILL; 5/5 invokes on provisioned after\n`,
    );
    await client.send(
      new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: 'live' }),
    );
    // The killed worker's containers: the survivor reaps them only after the fleet heartbeat
    // expires (30 s), which is longer than this suite lives.
    for (const c of await functionContainers(docker, name)) {
      if (c.Labels[WORKER_LABEL] === second.id)
        await docker
          .getContainer(c.Id)
          .remove({ force: true })
          .catch(() => undefined);
    }
  });

  it('splits an 80/20 alias with 5 into 4 + 1 environments', async () => {
    const { client, docker } = ctx;
    await ctx.stack.startExtraWorker('w3');
    const weighted = uniqueName('pcw');
    await createZipFunction(client, {
      name: weighted,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const v1 = await client.send(new PublishVersionCommand({ FunctionName: weighted }));
    await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: weighted,
        Environment: { Variables: { RELEASE: '2' } },
      }),
    );
    await waitUpdated(client, weighted);
    const v2 = await client.send(new PublishVersionCommand({ FunctionName: weighted }));
    await client.send(
      new CreateAliasCommand({
        FunctionName: weighted,
        Name: 'canary',
        FunctionVersion: v1.Version ?? '',
        RoutingConfig: { AdditionalVersionWeights: { [v2.Version ?? '']: 0.2 } },
      }),
    );
    await putProvisionedReady(client, weighted, 'canary', 5);
    const expected = { [v1.Version ?? '']: 4, [v2.Version ?? '']: 1 };
    const split = await until('4 + 1 environments', async () => {
      const counts = await perVersion(docker, weighted);
      return JSON.stringify(counts) === JSON.stringify(expected) ? counts : undefined;
    });
    assert.deepEqual(split, expected);
    const workers = await containersPerWorker(docker, weighted);
    assert.equal(Object.keys(workers).length, 2, `spread: ${JSON.stringify(workers)}`);
    await client.send(
      new DeleteProvisionedConcurrencyConfigCommand({
        FunctionName: weighted,
        Qualifier: 'canary',
      }),
    );
    await until('environments retired', async () =>
      Object.keys(await perVersion(docker, weighted)).length === 0 ? true : undefined,
    );
  });
});
