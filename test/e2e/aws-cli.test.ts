/**
 * The AWS CLI v2 (Debian's awscli) against a running stack: create from a zip file, wait,
 * invoke with a log tail, async and dry run, list (the CLI lists with a trailing slash), tags,
 * permissions, and the CLI's exit code for a missing function.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { AWS_CLI, awsLambda, type CliResult } from '../helpers/aws-cli.js';
import { requireDocker, requireImages, RUNTIME_IMAGES } from '../helpers/docker.js';
import { ROLE } from '../helpers/lambda.js';
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
    const zip = join(dir, 'fn.zip');
    writeFileSync(zip, await zipFixture('node-echo'));
    const created = aws(
      'create-function',
      '--function-name',
      name,
      '--runtime',
      'nodejs20.x',
      '--handler',
      'index.handler',
      '--role',
      ROLE,
      '--zip-file',
      `fileb://${zip}`,
    );
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
});
