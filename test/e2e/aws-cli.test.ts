/**
 * The AWS CLI v2 (Debian's awscli) against a running stack: create from a zip file, wait,
 * invoke with a log tail, async and dry run, list (the CLI lists with a trailing slash), tags,
 * permissions, the CLI's exit code for a missing function, and a layer published, granted,
 * listed, given to a function and deleted.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, awsLambda, echoFunctionArgs, type CliResult } from '../helpers/aws-cli.js';
import { requireDocker, requireImages, RUNTIME_IMAGES } from '../helpers/docker.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { startStack, uniqueName, type Stack } from '../helpers/stack.js';
import { zipFixture } from '../helpers/zip.js';

describe('AWS CLI v2', () => {
  let redis: TestRedis;
  let stack: Stack;
  const dir = mkdtempSync(join(tmpdir(), 'lambdock-cli-'));

  const aws = (...args: string[]): CliResult =>
    awsLambda(
      { endpoint: stack.endpoint, home: dir, accessKeyId: 'test', secretAccessKey: 'test' },
      ...args,
    );

  /** A failed command's error with the function as the API reports it and the services' logs. */
  function explain(failed: { stderr: string }, name: string): string {
    const state = aws('get-function-configuration', '--function-name', name);
    const tail = (lines: string[]): string => lines.join('').slice(-3000);
    return [
      failed.stderr,
      `get-function-configuration: ${state.stdout}${state.stderr}`,
      `gateway:\n${tail(stack.gateway.output)}`,
      `worker:\n${tail(stack.worker.output)}`,
    ].join('\n');
  }

  /** create-function of the node-echo fixture from a zip file, with `extra` arguments. */
  async function createEcho(name: string, ...extra: string[]): Promise<CliResult> {
    return aws(...(await echoFunctionArgs(dir, name)), ...extra);
  }

  before(async () => {
    const version = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' });
    assert.match(
      `${version.stdout}${version.stderr}`,
      /aws-cli\/2\./,
      'AWS CLI v2 is required: apt-get install -y awscli',
    );
    const docker = await requireDocker();
    await requireImages(docker, [RUNTIME_IMAGES.node]);
    redis = await startTestRedis();
    stack = await startStack({ redisUrl: redis.url });
  });

  after(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('creates, waits, invokes, lists and reports a missing function', async () => {
    const name = uniqueName('cli');
    const created = await createEcho(name);
    assert.equal(created.status, 0, created.stderr);
    assert.equal((JSON.parse(created.stdout) as { State: string }).State, 'Pending');
    const waited = aws('wait', 'function-active-v2', '--function-name', name);
    assert.equal(waited.status, 0, explain(waited, name));

    const out = join(dir, 'out.json');
    const invoked = aws(
      'invoke',
      '--function-name',
      name,
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"from":"cli"}',
      '--log-type',
      'Tail',
      out,
    );
    assert.equal(invoked.status, 0, explain(invoked, name));
    const meta = JSON.parse(invoked.stdout) as {
      StatusCode: number;
      ExecutedVersion: string;
      LogResult: string;
    };
    assert.equal(meta.StatusCode, 200);
    assert.equal(meta.ExecutedVersion, '$LATEST');
    assert.match(Buffer.from(meta.LogResult, 'base64').toString(), /REPORT RequestId: /);
    assert.deepEqual((JSON.parse(readFileSync(out, 'utf8')) as { event: unknown }).event, {
      from: 'cli',
    });

    const async = aws('invoke', '--function-name', name, '--invocation-type', 'Event', out);
    assert.equal((JSON.parse(async.stdout) as { StatusCode: number }).StatusCode, 202);
    const dry = aws('invoke', '--function-name', name, '--invocation-type', 'DryRun', out);
    assert.equal((JSON.parse(dry.stdout) as { StatusCode: number }).StatusCode, 204);

    const listed = aws('list-functions');
    assert.equal(listed.status, 0, listed.stderr);
    const names = (
      JSON.parse(listed.stdout) as { Functions: { FunctionName: string }[] }
    ).Functions.map((f) => f.FunctionName);
    assert.ok(names.includes(name));

    const { FunctionArn: arn } = JSON.parse(created.stdout) as { FunctionArn: string };
    const tagged = aws('tag-resource', '--resource', arn, '--tags', 'team=core,stage=test');
    assert.equal(tagged.status, 0, tagged.stderr);
    const untagged = aws('untag-resource', '--resource', arn, '--tag-keys', 'stage');
    assert.equal(untagged.status, 0, untagged.stderr);
    const tags = aws('list-tags', '--resource', arn);
    assert.equal(tags.status, 0, tags.stderr);
    assert.deepEqual(JSON.parse(tags.stdout), { Tags: { team: 'core' } });

    const permitted = aws(
      'add-permission',
      '--function-name',
      name,
      '--statement-id',
      's3',
      '--action',
      'lambda:InvokeFunction',
      '--principal',
      's3.amazonaws.com',
      '--source-arn',
      'arn:aws:s3:::uploads',
    );
    assert.equal(permitted.status, 0, permitted.stderr);
    const policy = aws('get-policy', '--function-name', name);
    assert.equal(policy.status, 0, policy.stderr);
    const document = JSON.parse((JSON.parse(policy.stdout) as { Policy: string }).Policy) as {
      Statement: Array<{ Sid: string; Condition: unknown }>;
    };
    assert.deepEqual(document.Statement[0]?.Condition, {
      ArnLike: { 'AWS:SourceArn': 'arn:aws:s3:::uploads' },
    });
    const removed = aws('remove-permission', '--function-name', name, '--statement-id', 's3');
    assert.equal(removed.status, 0, removed.stderr);

    const missing = aws('get-function', '--function-name', `${name}-nope`);
    assert.equal(missing.status, 254);
    assert.match(missing.stderr, /ResourceNotFoundException/);
  });

  it('publishes a layer, grants and lists it, gives it to a function and deletes it', async () => {
    const layerName = uniqueName('cli-layer');
    const zip = join(dir, 'layer.zip');
    writeFileSync(zip, await zipFixture('node-echo'));
    const published = aws(
      'publish-layer-version',
      '--layer-name',
      layerName,
      '--zip-file',
      `fileb://${zip}`,
      '--compatible-runtimes',
      'nodejs20.x',
      '--description',
      'from the cli',
    );
    assert.equal(published.status, 0, published.stderr);
    const layer = JSON.parse(published.stdout) as { LayerVersionArn: string; Version: number };
    assert.equal(layer.Version, 1);
    const granted = aws(
      'add-layer-version-permission',
      '--layer-name',
      layerName,
      '--version-number',
      '1',
      '--statement-id',
      'everyone',
      '--action',
      'lambda:GetLayerVersion',
      '--principal',
      '*',
    );
    assert.equal(granted.status, 0, granted.stderr);
    const listed = aws('list-layer-versions', '--layer-name', layerName);
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { LayerVersions: { Description: string }[] }).LayerVersions.map(
        (v) => v.Description,
      ),
      ['from the cli'],
    );

    const name = uniqueName('cli-layered');
    const created = await createEcho(name, '--layers', layer.LayerVersionArn);
    assert.equal(created.status, 0, created.stderr);
    assert.deepEqual(
      (JSON.parse(created.stdout) as { Layers: { Arn: string }[] }).Layers.map((l) => l.Arn),
      [layer.LayerVersionArn],
    );
    const waited = aws('wait', 'function-active-v2', '--function-name', name);
    assert.equal(waited.status, 0, explain(waited, name));

    const deleted = aws('delete-layer-version', '--layer-name', layerName, '--version-number', '1');
    assert.equal(deleted.status, 0, deleted.stderr);
    const gone = aws('get-layer-version', '--layer-name', layerName, '--version-number', '1');
    assert.equal(gone.status, 254);
    assert.match(gone.stderr, /ResourceNotFoundException/);
  });
});
