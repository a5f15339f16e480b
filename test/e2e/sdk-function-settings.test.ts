/**
 * What a function carries beside its code, through the AWS SDK on a real stack: tags, the
 * recursion setting, the (empty) code signing config, resource-based policies, and layer
 * versions that do not exist, refused rather than ignored.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  DeleteFunctionCodeSigningConfigCommand,
  DeleteFunctionCommand,
  GetFunctionCodeSigningConfigCommand,
  GetFunctionCommand,
  GetFunctionRecursionConfigCommand,
  GetPolicyCommand,
  ListTagsCommand,
  PutFunctionCodeSigningConfigCommand,
  PutFunctionRecursionConfigCommand,
  RemovePermissionCommand,
  ResourceNotFoundException,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { ROLE, createZipFunction } from '../helpers/lambda.js';
import { zipFixture } from '../helpers/zip.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';

describe('function settings through the AWS SDK', () => {
  const ctx = useStack([RUNTIME_IMAGES.node]);

  it('tags a function, lists and removes its tags, refuses a version’s ARN, keeps its recursion setting and has no code signing', async () => {
    const name = uniqueName('tags');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      tags: { team: 'core' },
    });
    const before = await ctx.client.send(new GetFunctionCommand({ FunctionName: name }));
    assert.deepEqual(before.Tags, { team: 'core' });
    const arn = before.Configuration?.FunctionArn ?? '';
    await ctx.client.send(new TagResourceCommand({ Resource: arn, Tags: { stage: 'test' } }));
    const listed = await ctx.client.send(new ListTagsCommand({ Resource: arn }));
    assert.deepEqual(listed.Tags, { team: 'core', stage: 'test' });
    await ctx.client.send(new UntagResourceCommand({ Resource: arn, TagKeys: ['team'] }));
    const after = await ctx.client.send(new GetFunctionCommand({ FunctionName: name }));
    assert.deepEqual(after.Tags, { stage: 'test' });
    assert.equal(after.Configuration?.RevisionId, before.Configuration?.RevisionId);
    const recursion = await ctx.client.send(
      new GetFunctionRecursionConfigCommand({ FunctionName: name }),
    );
    assert.equal(recursion.RecursiveLoop, 'Terminate');
    await ctx.client.send(
      new PutFunctionRecursionConfigCommand({ FunctionName: arn, RecursiveLoop: 'Allow' }),
    );
    const allowed = await ctx.client.send(
      new GetFunctionRecursionConfigCommand({ FunctionName: name }),
    );
    assert.equal(allowed.RecursiveLoop, 'Allow');
    const signing = await ctx.client.send(
      new GetFunctionCodeSigningConfigCommand({ FunctionName: name }),
    );
    assert.deepEqual([signing.FunctionName, signing.CodeSigningConfigArn], [name, '']);
    await assert.rejects(
      ctx.client.send(
        new PutFunctionCodeSigningConfigCommand({
          FunctionName: name,
          CodeSigningConfigArn:
            'arn:aws:lambda:us-east-1:000000000000:code-signing-config:csc-0123456789abcdef0',
        }),
      ),
      (err: Error) => err.name === 'CodeSigningConfigNotFoundException',
    );
    await ctx.client.send(new DeleteFunctionCodeSigningConfigCommand({ FunctionName: name }));
    await assert.rejects(
      ctx.client.send(new TagResourceCommand({ Resource: `${arn}:$LATEST`, Tags: { a: 'b' } })),
      (err: Error) =>
        err.name === 'InvalidParameterValueException' &&
        err.message ===
          'Tags on function aliases and versions are not supported. Please specify a function ARN.',
    );
    await ctx.client.send(new DeleteFunctionCommand({ FunctionName: name }));
    await assert.rejects(
      ctx.client.send(new ListTagsCommand({ Resource: arn })),
      ResourceNotFoundException,
    );
  });

  it('keeps the permissions added to a function and removes them', async () => {
    const name = uniqueName('perm');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const added = await ctx.client.send(
      new AddPermissionCommand({
        FunctionName: name,
        StatementId: 'events',
        Action: 'lambda:InvokeFunction',
        Principal: 'events.amazonaws.com',
        SourceArn: 'arn:aws:events:us-east-1:000000000000:rule/nightly',
      }),
    );
    const statement = JSON.parse(added.Statement ?? '{}') as { Principal: unknown };
    assert.deepEqual(statement.Principal, { Service: 'events.amazonaws.com' });
    const got = await ctx.client.send(new GetPolicyCommand({ FunctionName: name }));
    const policy = JSON.parse(got.Policy ?? '{}') as { Statement: Array<{ Sid: string }> };
    assert.deepEqual(
      policy.Statement.map((s) => s.Sid),
      ['events'],
    );
    assert.ok(got.RevisionId);
    await assert.rejects(
      ctx.client.send(
        new AddPermissionCommand({
          FunctionName: name,
          StatementId: 'events',
          Action: 'lambda:InvokeFunction',
          Principal: 'events.amazonaws.com',
        }),
      ),
      (err: Error) => err.name === 'ResourceConflictException',
    );
    await ctx.client.send(
      new RemovePermissionCommand({ FunctionName: name, StatementId: 'events' }),
    );
    await assert.rejects(
      ctx.client.send(new GetPolicyCommand({ FunctionName: name })),
      ResourceNotFoundException,
    );
    await ctx.client.send(new DeleteFunctionCommand({ FunctionName: name }));
  });

  it('refuses a function that names a layer version that does not exist, at creation and on update, and keeps the function as it was', async () => {
    const name = uniqueName('layers');
    const layer = 'arn:aws:lambda:us-east-1:000000000000:layer:deps:3';
    const missing = `Layer version ${layer} does not exist.`;
    await assert.rejects(
      ctx.client.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Role: ROLE,
          Runtime: 'nodejs20.x',
          Handler: 'index.handler',
          Code: { ZipFile: await zipFixture('node-echo') },
          Layers: [layer],
        }),
      ),
      (err: Error) => err.name === 'InvalidParameterValueException' && err.message === missing,
    );
    await assert.rejects(
      ctx.client.send(new GetFunctionCommand({ FunctionName: name })),
      ResourceNotFoundException,
    );
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const before = await ctx.client.send(new GetFunctionCommand({ FunctionName: name }));
    await assert.rejects(
      ctx.client.send(
        new UpdateFunctionConfigurationCommand({ FunctionName: name, Timeout: 9, Layers: [layer] }),
      ),
      (err: Error) => err.name === 'InvalidParameterValueException' && err.message === missing,
    );
    const after = await ctx.client.send(new GetFunctionCommand({ FunctionName: name }));
    assert.equal(after.Configuration?.RevisionId, before.Configuration?.RevisionId);
    assert.equal(after.Configuration?.Timeout, 3);
    await ctx.client.send(new DeleteFunctionCommand({ FunctionName: name }));
  });
});
