/**
 * Provisioned concurrency end to end with the real AWS SDK: 2 on an alias become READY, the
 * first invocations run on environments initialized ahead of traffic (no Init Duration, the
 * provisioned initialization type), a killed provisioned container is replaced, AWS's errors
 * for `$LATEST` and a missing config, and Delete retires the environments. A count beyond the
 * worker's room is FAILED with the capacity reason, and READY once lowered to what fits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAliasCommand,
  DeleteProvisionedConcurrencyConfigCommand,
  GetProvisionedConcurrencyConfigCommand,
  type GetProvisionedConcurrencyConfigCommandOutput,
  InvokeCommand,
  type LambdaClient,
  ListProvisionedConcurrencyConfigsCommand,
  PublishVersionCommand,
  PutProvisionedConcurrencyConfigCommand,
} from '@aws-sdk/client-lambda';
import { functionContainers, RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction } from '../helpers/lambda.js';
import { CAPACITY_REASON } from '@lambdock/core';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';

const WAIT_MS = 45_000;

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

async function config(
  client: LambdaClient,
  name: string,
  qualifier: string,
): Promise<GetProvisionedConcurrencyConfigCommandOutput> {
  return client.send(
    new GetProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: qualifier }),
  );
}

async function invokeTail(
  client: LambdaClient,
  name: string,
): Promise<{ log: string; initType: unknown }> {
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
  const body = JSON.parse(text) as { env: Record<string, unknown> };
  const log = Buffer.from(out.LogResult ?? '', 'base64').toString();
  return { log, initType: body.env.AWS_LAMBDA_INITIALIZATION_TYPE };
}

async function errorOf(work: Promise<unknown>): Promise<{ name: string; message: string }> {
  const err = await work.then(
    () => assert.fail('expected an error'),
    (e: unknown) => e as Error,
  );
  return { name: err.name, message: err.message };
}

describe('provisioned concurrency', () => {
  // Room for three environments: the second test asks for more than that.
  const ctx = useStack([RUNTIME_IMAGES.node], { workerEnv: { WORKER_MAX_ENVIRONMENTS: '3' } });

  it('keeps 2 initialized environments on an alias, heals a killed one, retires on delete', async () => {
    const { client, docker } = ctx;
    const name = uniqueName('pc');
    await createZipFunction(client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const published = await client.send(new PublishVersionCommand({ FunctionName: name }));
    const version = published.Version ?? '';
    await client.send(
      new CreateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: version }),
    );

    const put = await client.send(
      new PutProvisionedConcurrencyConfigCommand({
        FunctionName: name,
        Qualifier: 'live',
        ProvisionedConcurrentExecutions: 2,
      }),
    );
    assert.equal(put.$metadata.httpStatusCode, 202);
    assert.deepEqual(
      [
        put.Status,
        put.RequestedProvisionedConcurrentExecutions,
        put.AllocatedProvisionedConcurrentExecutions,
      ],
      ['IN_PROGRESS', 2, 0],
    );
    const ready = await until('READY', async () => {
      const got = await config(client, name, 'live');
      return got.Status === 'READY' ? got : undefined;
    });
    assert.equal(ready.AllocatedProvisionedConcurrentExecutions, 2);
    assert.equal(ready.AvailableProvisionedConcurrentExecutions, 2);

    const runs = await Promise.all([invokeTail(client, name), invokeTail(client, name)]);
    for (const run of runs) {
      assert.match(run.log, /REPORT RequestId: /);
      assert.doesNotMatch(run.log, /Init Duration/);
      assert.equal(run.initType, 'provisioned-concurrency');
    }

    const running = async (): Promise<string[]> =>
      (await functionContainers(docker, name))
        .filter((c) => c.State === 'running')
        .map((c) => c.Id);
    const before = await running();
    assert.equal(before.length, 2, 'two provisioned containers');
    const victim = before[0] ?? '';
    await docker.getContainer(victim).kill();
    const healed = await until('a replacement', async () => {
      const now = await running();
      const status = (await config(client, name, 'live')).Status;
      return now.length === 2 && !now.includes(victim) && status === 'READY' ? now : undefined;
    });
    assert.equal(healed.length, 2);

    const listed = await client.send(
      new ListProvisionedConcurrencyConfigsCommand({ FunctionName: name }),
    );
    assert.deepEqual(
      listed.ProvisionedConcurrencyConfigs?.map((c) => [
        c.FunctionArn?.endsWith(`:${name}:live`),
        c.Status,
      ]),
      [[true, 'READY']],
    );

    assert.deepEqual(
      await errorOf(
        client.send(
          new PutProvisionedConcurrencyConfigCommand({
            FunctionName: name,
            Qualifier: '$LATEST',
            ProvisionedConcurrentExecutions: 1,
          }),
        ),
      ),
      {
        name: 'InvalidParameterValueException',
        message:
          'Provisioned Concurrency Configs cannot be applied to unpublished function versions.',
      },
    );
    assert.deepEqual(await errorOf(config(client, name, version)), {
      name: 'ProvisionedConcurrencyConfigNotFoundException',
      message: 'No Provisioned Concurrency Config found for this function',
    });

    await client.send(
      new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: 'live' }),
    );
    await until('environments retired', async () =>
      (await running()).length === 0 ? true : undefined,
    );
    assert.deepEqual(await errorOf(config(client, name, 'live')), {
      name: 'ProvisionedConcurrencyConfigNotFoundException',
      message: 'No Provisioned Concurrency Config found for this function',
    });
  });

  it('reports FAILED with the capacity reason beyond the worker’s room, READY once it fits', async () => {
    const { client, docker } = ctx;
    const name = uniqueName('pc-room');
    await createZipFunction(client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const { Version } = await client.send(new PublishVersionCommand({ FunctionName: name }));
    const version = Version ?? '';
    const put = (count: number): Promise<unknown> =>
      client.send(
        new PutProvisionedConcurrencyConfigCommand({
          FunctionName: name,
          Qualifier: version,
          ProvisionedConcurrentExecutions: count,
        }),
      );
    await put(4);
    // FAILED as soon as the fourth start finds no room; the three that fit come up beside it.
    const failed = await until('FAILED with 3 allocated', async () => {
      const got = await config(client, name, version);
      return got.Status === 'FAILED' && got.AllocatedProvisionedConcurrentExecutions === 3
        ? got
        : undefined;
    });
    assert.equal(failed.StatusReason, CAPACITY_REASON);
    assert.equal(failed.RequestedProvisionedConcurrentExecutions, 4);
    assert.equal(failed.AllocatedProvisionedConcurrentExecutions, 3);

    await put(3);
    const ready = await until('READY', async () => {
      const got = await config(client, name, version);
      return got.Status === 'READY' ? got : undefined;
    });
    assert.equal(ready.AllocatedProvisionedConcurrentExecutions, 3);
    assert.equal(ready.StatusReason, undefined);

    await client.send(
      new DeleteProvisionedConcurrencyConfigCommand({ FunctionName: name, Qualifier: version }),
    );
    await until('environments retired', async () =>
      (await functionContainers(docker, name)).every((c) => c.State !== 'running')
        ? true
        : undefined,
    );
  });
});
