/**
 * Versions and aliases end to end with the real AWS SDK against a running stack: publish two
 * versions that differ by configuration, split 1,000 invocations through a weighted alias
 * (20% ± 3% to the additional version, each reporting the version that ran), move the alias and
 * roll it back under load without a failed request, update `$LATEST` without changing what the
 * alias runs, AWS's errors for alias validation, and DeleteFunction with and without a
 * qualifier.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateAliasCommand,
  DeleteAliasCommand,
  DeleteFunctionCommand,
  GetAliasCommand,
  GetFunctionCommand,
  ListVersionsByFunctionCommand,
  PublishVersionCommand,
  UpdateAliasCommand,
  UpdateFunctionConfigurationCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import {
  arnOf,
  assertReportsWhatRan,
  bounded,
  CONCURRENCY,
  expectError,
  fulfilled,
  PRECONDITION,
  run,
  TOTAL,
  type Ran,
} from '../helpers/alias-runs.js';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction, waitUpdated } from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';

describe('versions and aliases through the AWS SDK', () => {
  const ctx = useStack([RUNTIME_IMAGES.node]);
  const name = uniqueName('versions');
  const fast = (): LambdaClient => ctx.stack.client({ maxAttempts: 1 });

  it('publishes two versions that keep their own configuration', async () => {
    const client = ctx.client;
    await createZipFunction(client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      environment: { LABEL: 'v1' },
    });
    const first = await client.send(
      new PublishVersionCommand({ FunctionName: name, Description: 'first' }),
    );
    assert.deepEqual(
      [first.Version, first.FunctionArn, first.Description, first.State],
      ['1', arnOf(name, '1'), 'first', 'Active'],
    );
    await expectError(
      client.send(new PublishVersionCommand({ FunctionName: name, RevisionId: 'wrong' })),
      { name: 'PreconditionFailedException', status: 412, message: PRECONDITION },
    );
    await client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: { Variables: { LABEL: 'v2' } },
      }),
    );
    await waitUpdated(client, name);
    const second = await client.send(new PublishVersionCommand({ FunctionName: name }));
    assert.equal(second.Version, '2');
    const again = await client.send(new PublishVersionCommand({ FunctionName: name }));
    assert.deepEqual([again.Version, again.RevisionId], ['2', second.RevisionId]);
    const listed = await client.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(
      listed.Versions?.map((v) => [v.Version, v.FunctionArn, v.Environment?.Variables?.LABEL]),
      [
        ['$LATEST', arnOf(name, '$LATEST'), 'v2'],
        ['1', arnOf(name, '1'), 'v1'],
        ['2', arnOf(name, '2'), 'v2'],
      ],
    );
    assert.deepEqual(
      [(await run(client, name, '1')).label, (await run(client, name, '2')).label],
      ['v1', 'v2'],
    );
  });

  it('splits 1,000 invocations 20% ± 3% through a weighted alias, each reporting what ran', async () => {
    const created = await ctx.client.send(
      new CreateAliasCommand({
        FunctionName: name,
        Name: 'live',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.2 } },
      }),
    );
    assert.deepEqual(
      [created.AliasArn, created.FunctionVersion, created.RoutingConfig],
      [arnOf(name, 'live'), '1', { AdditionalVersionWeights: { '2': 0.2 } }],
    );
    const viaAlias = await ctx.client.send(
      new GetFunctionCommand({ FunctionName: arnOf(name, 'live') }),
    );
    assert.deepEqual(
      [viaAlias.Configuration?.FunctionArn, viaAlias.Configuration?.Version],
      [arnOf(name, 'live'), '1'],
    );
    const client = fast();
    const ran = fulfilled(await bounded(TOTAL, CONCURRENCY, () => run(client, name, 'live')));
    for (const r of ran) assertReportsWhatRan(r, name, 'live');
    const share = ran.filter((r) => r.executed === '2').length / TOTAL;
    assert.deepEqual(new Set(ran.map((r) => r.executed)), new Set(['1', '2']));
    assert.ok(share >= 0.17 && share <= 0.23, `share of version 2: ${share}`);
  });

  it('moves the alias and rolls it back under load without a failed request', async () => {
    const client = fast();
    const results: Array<PromiseSettledResult<Ran>> = [];
    let stop = false;
    const lane = async (): Promise<void> => {
      while (!stop) results.push(...(await bounded(1, 1, () => run(client, name, 'live'))));
    };
    const lanes = Promise.all(Array.from({ length: 4 }, lane));
    const until = async (count: number): Promise<void> => {
      const target = results.length + count;
      while (results.length < target) await new Promise((r) => setTimeout(r, 10));
    };
    await until(40);
    const current = await ctx.client.send(
      new GetAliasCommand({ FunctionName: name, Name: 'live' }),
    );
    const moved = await ctx.client.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: 'live',
        FunctionVersion: '2',
        RoutingConfig: { AdditionalVersionWeights: {} },
        RevisionId: current.RevisionId,
      }),
    );
    const movedAt = Date.now();
    assert.deepEqual([moved.FunctionVersion, moved.RoutingConfig], ['2', undefined]);
    assert.notEqual(moved.RevisionId, current.RevisionId);
    await until(60);
    const rollingBackAt = Date.now();
    await ctx.client.send(
      new UpdateAliasCommand({ FunctionName: name, Name: 'live', FunctionVersion: '1' }),
    );
    const rolledBackAt = Date.now();
    await until(60);
    stop = true;
    await lanes;
    const ran = fulfilled(results);
    for (const r of ran) assertReportsWhatRan(r, name, 'live');
    // Started once the move was answered and done before the rollback was sent: version 2;
    // started once the rollback was answered: version 1. Requests across a change may be either.
    const between = ran.filter((r) => r.startedAt > movedAt && r.finishedAt < rollingBackAt);
    const after = ran.filter((r) => r.startedAt > rolledBackAt);
    assert.ok(between.length >= 40 && after.length >= 40, `${between.length}/${after.length}`);
    assert.deepEqual(new Set(between.map((r) => r.executed)), new Set(['2']));
    assert.deepEqual(new Set(after.map((r) => r.executed)), new Set(['1']));
  });

  it('updating $LATEST changes neither the versions nor what the alias runs', async () => {
    await ctx.client.send(
      new UpdateAliasCommand({
        FunctionName: name,
        Name: 'live',
        RoutingConfig: { AdditionalVersionWeights: { '2': 0.5 } },
      }),
    );
    await ctx.client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: { Variables: { LABEL: 'v3' } },
      }),
    );
    await waitUpdated(ctx.client, name);
    const latest = await run(ctx.client, name);
    assert.deepEqual(
      [latest.executed, latest.label, latest.functionVersion, latest.invokedArn],
      ['$LATEST', 'v3', '$LATEST', arnOf(name)],
    );
    const client = fast();
    const ran = fulfilled(await bounded(40, 4, () => run(client, name, 'live')));
    for (const r of ran) assertReportsWhatRan(r, name, 'live');
    assert.deepEqual(new Set(ran.map((r) => r.executed)), new Set(['1', '2']));
    const one = await run(ctx.client, name, '1');
    assert.deepEqual([one.executed, one.label, one.invokedArn], ['1', 'v1', arnOf(name, '1')]);
  });

  it('answers AWS’s errors for alias validation', async () => {
    const client = fast();
    const create = (
      input: Omit<ConstructorParameters<typeof CreateAliasCommand>[0], 'FunctionName'>,
    ) => client.send(new CreateAliasCommand({ FunctionName: name, ...input }));
    await expectError(create({ Name: '2024', FunctionVersion: '1' }), {
      name: 'ValidationException',
      status: 400,
      message:
        "1 validation error detected: Value '2024' at 'name' failed to satisfy constraint: Member must satisfy regular expression pattern: (?!^[0-9]+$)([a-zA-Z0-9-_]+)",
    });
    await expectError(
      create({
        Name: 'two',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '1': 0.8, '2': 0.2 } },
      }),
      {
        name: 'InvalidParameterValueException',
        status: 400,
        message: 'Number of items in AdditionalVersionWeights cannot be greater than 1',
      },
    );
    await expectError(
      create({
        Name: 'latest',
        FunctionVersion: '$LATEST',
        RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } },
      }),
      {
        name: 'InvalidParameterValueException',
        status: 400,
        message: '$LATEST is not supported for an alias pointing to more than 1 version',
      },
    );
    await expectError(
      create({
        Name: 'heavy',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '2': 2 } },
      }),
      {
        name: 'ValidationException',
        status: 400,
        message:
          "1 validation error detected: Value '{2=2.0}' at 'routingConfig.additionalVersionWeights' failed to satisfy constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, Member must have value greater than or equal to 0.0, Member must not be null]",
      },
    );
    await expectError(
      create({
        Name: 'same',
        FunctionVersion: '1',
        RoutingConfig: { AdditionalVersionWeights: { '1': 0.5 } },
      }),
      {
        name: 'InvalidParameterValueException',
        status: 400,
        message:
          'Invalid function version 1. Function version 1 is already included in routing configuration.',
      },
    );
    await expectError(create({ Name: 'ten', FunctionVersion: '10' }), {
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${arnOf(name, '10')}`,
    });
    await expectError(create({ Name: 'live', FunctionVersion: '1' }), {
      name: 'ResourceConflictException',
      status: 409,
      message: `Alias already exists: ${arnOf(name, 'live')}`,
    });
    await expectError(
      client.send(
        new UpdateAliasCommand({ FunctionName: name, Name: 'live', RevisionId: 'wrong' }),
      ),
      { name: 'PreconditionFailedException', status: 412, message: PRECONDITION },
    );
    await expectError(client.send(new GetAliasCommand({ FunctionName: name, Name: 'nope' })), {
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Cannot find alias arn: ${arnOf(name, 'nope')}`,
    });
    await expectError(run(client, name, 'nope'), {
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${arnOf(name, 'nope')}`,
    });
  });

  it('deletes a version (not while an alias names it) and then the whole function', async () => {
    const client = fast();
    const del = (qualifier?: string) =>
      client.send(
        new DeleteFunctionCommand({
          FunctionName: name,
          ...(qualifier === undefined ? {} : { Qualifier: qualifier }),
        }),
      );
    await expectError(del('1'), {
      name: 'ResourceConflictException',
      status: 409,
      message: 'Unable to delete version because the following aliases reference it: [live]',
    });
    await expectError(del('$LATEST'), {
      name: 'InvalidParameterValueException',
      status: 400,
      message: '$LATEST version cannot be deleted without deleting the function.',
    });
    await expectError(del('live'), {
      name: 'InvalidParameterValueException',
      status: 400,
      message: 'Deletion of aliases is not currently supported.',
    });
    await client.send(new DeleteAliasCommand({ FunctionName: name, Name: 'live' }));
    await del('1');
    await del('1');
    const listed = await client.send(new ListVersionsByFunctionCommand({ FunctionName: name }));
    assert.deepEqual(
      listed.Versions?.map((v) => v.Version),
      ['$LATEST', '2'],
    );
    await expectError(run(client, name, '1'), {
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${arnOf(name, '1')}`,
    });
    assert.equal((await run(client, name, '2')).label, 'v2');
    await del();
    await expectError(client.send(new GetFunctionCommand({ FunctionName: name, Qualifier: '2' })), {
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${arnOf(name, '2')}`,
    });
    await expectError(client.send(new ListVersionsByFunctionCommand({ FunctionName: name })), {
      name: 'ResourceNotFoundException',
      status: 404,
      message: `Function not found: ${arnOf(name)}`,
    });
  });
});
