/**
 * Layers through the AWS SDK on a real stack: versions published, read and listed; Node and
 * Python functions import from them (NODE_PATH, for ES modules too, and sys.path under /opt, as
 * on Lambda); a later
 * layer's file wins; /opt is read-only; a custom runtime's bootstrap, executables and an exec
 * wrapper come from layers; a function moves to another version on update, and
 * keeps running on a version that was deleted, new environments included.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  DeleteLayerVersionCommand,
  GetFunctionCommand,
  GetLayerVersionByArnCommand,
  GetLayerVersionCommand,
  ListLayerVersionsCommand,
  ListLayersCommand,
  PublishLayerVersionCommand,
  UpdateFunctionConfigurationCommand,
  type CreateFunctionCommandInput,
  type Runtime,
} from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { ROLE, invoke, waitActive, waitUpdated } from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { zipDirectory, zipFixture, zipSource } from '../helpers/zip.js';

const NODE_HANDLER = `
const fs = require('node:fs');
exports.handler = async (event) => {
  const greet = require('greet');
  let opt = 'writable';
  try { fs.writeFileSync('/opt/probe', 'x'); } catch (err) { opt = err.code; }
  return { greeting: greet.hi(event.name), opt, path: process.env.PATH };
};
`;

const PYTHON_HANDLER = `
import shared_mod
def handler(event, context):
    return {"value": shared_mod.VALUE}
`;

const greetLayer = (text: string) =>
  zipSource({
    'nodejs/node_modules/greet/index.js': `exports.hi = (name) => \`${text} \${name}\`;\n`,
  });

describe('layers through the AWS SDK', () => {
  const ctx = useStack([RUNTIME_IMAGES.node, RUNTIME_IMAGES.python, RUNTIME_IMAGES.provided]);

  async function publish(name: string, zip: Buffer, runtime?: Runtime) {
    const out = await ctx.client.send(
      new PublishLayerVersionCommand({
        LayerName: name,
        Content: { ZipFile: zip },
        ...(runtime === undefined ? {} : { CompatibleRuntimes: [runtime] }),
      }),
    );
    assert.ok(out.LayerVersionArn);
    return { arn: out.LayerVersionArn, version: out.Version ?? 0 };
  }

  /** A zip function of `files` on `layers`, Active. */
  async function createLayered(
    input: Pick<CreateFunctionCommandInput, 'FunctionName' | 'Runtime' | 'Handler' | 'Environment'>,
    files: Record<string, string>,
    layers: string[],
  ): Promise<void> {
    await ctx.client.send(
      new CreateFunctionCommand({
        ...input,
        Role: ROLE,
        Code: { ZipFile: await zipSource(files) },
        Layers: layers,
      }),
    );
    await waitActive(ctx.client, input.FunctionName ?? '');
  }

  it('runs Node and Python functions on their layers, in order, and past a deleted version', async () => {
    const greet = uniqueName('greet');
    const v1 = await publish(greet, await greetLayer('hello from v1,'), 'nodejs20.x');
    const v2 = await publish(greet, await greetLayer('hello from v2,'), 'nodejs20.x');
    assert.deepEqual([v1.version, v2.version], [1, 2]);
    const override = await publish(uniqueName('override'), await greetLayer('overridden,'));

    const got = await ctx.client.send(
      new GetLayerVersionCommand({ LayerName: greet, VersionNumber: 1 }),
    );
    assert.equal(got.LayerVersionArn, v1.arn);
    assert.deepEqual(got.CompatibleRuntimes, ['nodejs20.x']);
    assert.ok((got.Content?.CodeSize ?? 0) > 0);
    const byArn = await ctx.client.send(new GetLayerVersionByArnCommand({ Arn: v2.arn }));
    assert.equal(byArn.Version, 2);
    const versions = await ctx.client.send(new ListLayerVersionsCommand({ LayerName: greet }));
    assert.deepEqual(
      versions.LayerVersions?.map((v) => v.Version),
      [2, 1],
    );
    const layers = await ctx.client.send(
      new ListLayersCommand({ CompatibleRuntime: 'nodejs20.x' }),
    );
    const listed = layers.Layers?.find((l) => l.LayerName === greet);
    assert.equal(listed?.LatestMatchingVersion?.Version, 2);

    const fn = uniqueName('layered-node');
    await createLayered(
      { FunctionName: fn, Runtime: 'nodejs20.x', Handler: 'index.handler' },
      { 'index.js': NODE_HANDLER },
      [v1.arn],
    );
    const first = await invoke(ctx.client, fn, { name: 'ada' });
    assert.equal(first.output.FunctionError, undefined, first.text);
    const body = first.json as { greeting: string; opt: string; path: string };
    assert.equal(body.greeting, 'hello from v1, ada');
    assert.equal(body.opt, 'EROFS');
    assert.match(body.path, /:\/opt\/bin$/);
    const config = await ctx.client.send(new GetFunctionCommand({ FunctionName: fn }));
    assert.deepEqual(
      config.Configuration?.Layers?.map((l) => l.Arn),
      [v1.arn],
    );

    await ctx.client.send(
      new UpdateFunctionConfigurationCommand({ FunctionName: fn, Layers: [v2.arn] }),
    );
    await waitUpdated(ctx.client, fn);
    assert.equal(
      ((await invoke(ctx.client, fn, { name: 'bob' })).json as { greeting: string }).greeting,
      'hello from v2, bob',
    );

    await ctx.client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: fn,
        Layers: [v2.arn, override.arn],
      }),
    );
    await waitUpdated(ctx.client, fn);
    assert.equal(
      ((await invoke(ctx.client, fn, { name: 'cy' })).json as { greeting: string }).greeting,
      'overridden, cy',
    );

    // Deleted while in use: the function keeps running, in a new environment too.
    await ctx.client.send(new DeleteLayerVersionCommand({ LayerName: greet, VersionNumber: 2 }));
    await assert.rejects(
      ctx.client.send(new GetLayerVersionCommand({ LayerName: greet, VersionNumber: 2 })),
      (err: Error) => err.name === 'ResourceNotFoundException',
    );
    await ctx.client
      .send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: fn,
          Layers: [v2.arn],
          Environment: { Variables: { ROUND: 'after-delete' } },
        }),
      )
      .then(
        () => assert.fail('a deleted layer version cannot be named again'),
        (err: Error) => {
          assert.equal(err.name, 'InvalidParameterValueException');
          assert.equal(err.message, `Layer version ${v2.arn} does not exist.`);
        },
      );
    await ctx.client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: fn,
        Environment: { Variables: { ROUND: 'after-delete' } },
      }),
    );
    await waitUpdated(ctx.client, fn);
    const after = await invoke(ctx.client, fn, { name: 'dee' });
    assert.equal(after.output.FunctionError, undefined, after.text);
    assert.equal((after.json as { greeting: string }).greeting, 'overridden, dee');

    const py = uniqueName('layered-python');
    const shared = await publish(
      uniqueName('pyshared'),
      await zipSource({ 'python/shared_mod.py': 'VALUE = "from the python layer"\n' }),
      'python3.11',
    );
    await createLayered(
      { FunctionName: py, Runtime: 'python3.11', Handler: 'app.handler' },
      { 'app.py': PYTHON_HANDLER },
      [shared.arn],
    );
    const pyOut = await invoke(ctx.client, py, {});
    assert.equal(pyOut.output.FunctionError, undefined, pyOut.text);
    assert.deepEqual(pyOut.json, { value: 'from the python layer' });

    // An ES module imports from a layer too: Node 18+ runtimes search NODE_PATH for ES modules.
    const esm = uniqueName('layered-esm');
    await createLayered(
      { FunctionName: esm, Runtime: 'nodejs20.x', Handler: 'index.handler' },
      {
        'index.mjs':
          "import { hi } from 'greet';\nexport const handler = async (event) => ({ greeting: hi(event.name) });\n",
      },
      [v1.arn],
    );
    const esmOut = await invoke(ctx.client, esm, { name: 'eve' });
    assert.equal(esmOut.output.FunctionError, undefined, esmOut.text);
    assert.deepEqual(esmOut.json, { greeting: 'hello from v1, eve' });

    for (const name of [fn, py, esm])
      await ctx.client.send(new DeleteFunctionCommand({ FunctionName: name }));
  });

  it("runs a custom runtime's bootstrap from a layer, finds a layer's executables on PATH and starts behind a layer's exec wrapper", async () => {
    const runtime = await publish(uniqueName('bootstrap'), await zipFixture('provided-echo'));
    const provided = uniqueName('layered-provided');
    await createLayered(
      { FunctionName: provided, Runtime: 'provided.al2023', Handler: 'unused' },
      { 'README.txt': 'the bootstrap is in a layer\n' },
      [runtime.arn],
    );
    const echoed = await invoke(ctx.client, provided, { from: 'a layer' });
    assert.equal(echoed.output.FunctionError, undefined, echoed.text);
    assert.deepEqual((echoed.json as { echo: unknown }).echo, { from: 'a layer' });

    const dir = mkdtempSync(join(tmpdir(), 'lambdock-layer-'));
    mkdirSync(join(dir, 'bin'));
    writeFileSync(join(dir, 'bin', 'layer-tool'), '#!/bin/sh\necho "tool from /opt/bin"\n');
    chmodSync(join(dir, 'bin', 'layer-tool'), 0o755);
    writeFileSync(join(dir, 'wrapper'), '#!/bin/sh\nexport WRAPPED_BY=layer\nexec "$@"\n');
    chmodSync(join(dir, 'wrapper'), 0o755);
    const tools = await publish(uniqueName('tools'), await zipDirectory(dir));
    const node = uniqueName('layered-tools');
    await createLayered(
      {
        FunctionName: node,
        Runtime: 'nodejs20.x',
        Handler: 'index.handler',
        Environment: { Variables: { AWS_LAMBDA_EXEC_WRAPPER: '/opt/wrapper' } },
      },
      {
        'index.js':
          "exports.handler = async () => ({ tool: require('node:child_process').execFileSync('layer-tool', { encoding: 'utf8' }).trim(), wrappedBy: process.env.WRAPPED_BY });\n",
      },
      [tools.arn],
    );
    const ran = await invoke(ctx.client, node, {});
    assert.equal(ran.output.FunctionError, undefined, ran.text);
    assert.deepEqual(ran.json, { tool: 'tool from /opt/bin', wrappedBy: 'layer' });

    for (const name of [provided, node])
      await ctx.client.send(new DeleteFunctionCommand({ FunctionName: name }));
  });
});
