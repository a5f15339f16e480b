/**
 * A stack with ACCESS_KEYS: the Lambda API takes only SigV4-signed requests by a listed key.
 * Three real signers drive it: the AWS SDK (which sends the payload's hash as a header), the
 * AWS CLI (botocore, which does not) and curl's `--aws-sigv4` (for a function URL with
 * AuthType AWS_IAM). Wrong keys get AWS's exceptions; GetFunction's Code.Location is a
 * presigned link that downloads the code.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  CreateFunctionUrlConfigCommand,
  GetFunctionCommand,
  LambdaClient,
  ListFunctionsCommand,
} from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  FilterLogEventsCommand,
  type FilterLogEventsCommandOutput,
} from '@aws-sdk/client-cloudwatch-logs';
import { awsCli, awsLambda, echoFunctionArgs, type CliResult } from '../helpers/aws-cli.js';
import { requireDocker, requireImages, RUNTIME_IMAGES } from '../helpers/docker.js';
import { createNodeFunction, invoke } from '../helpers/lambda.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { startStack, uniqueName, type Stack } from '../helpers/stack.js';

const KEY = { id: 'lambdock-e2e', secret: 'e2e-secret-0123456789' };

describe('signed requests (ACCESS_KEYS)', () => {
  let redis: TestRedis;
  let stack: Stack;
  const dir = mkdtempSync(join(tmpdir(), 'lambdock-sig-'));

  const client = (secretAccessKey = KEY.secret, accessKeyId = KEY.id): LambdaClient =>
    new LambdaClient({
      region: 'eu-central-1',
      endpoint: stack.endpoint,
      credentials: { accessKeyId, secretAccessKey },
      maxAttempts: 1,
    });

  const aws = (secret: string, ...args: string[]): CliResult =>
    awsLambda(
      { endpoint: stack.endpoint, home: dir, accessKeyId: KEY.id, secretAccessKey: secret },
      ...args,
    );

  /** curl's own SigV4 signer; a POST of `body`, or a GET without one. */
  function curl(url: string, secret: string, body?: string): { status: number; body: string } {
    const result = spawnSync(
      'curl',
      [
        '-sS',
        '-w',
        '\n%{http_code}',
        '--aws-sigv4',
        'aws:amz:us-east-1:lambda',
        '--user',
        `${KEY.id}:${secret}`,
        ...(body === undefined
          ? []
          : ['-H', 'content-type: application/json', '--data-binary', body]),
        url,
      ],
      { encoding: 'utf8', timeout: 60_000 },
    );
    assert.equal(result.status, 0, result.stderr);
    const cut = result.stdout.lastIndexOf('\n');
    return { status: Number(result.stdout.slice(cut + 1)), body: result.stdout.slice(0, cut) };
  }

  before(async () => {
    const help = spawnSync('curl', ['--help', 'all'], { encoding: 'utf8' });
    assert.match(
      help.stdout ?? '',
      /--aws-sigv4/,
      'curl 7.75 or later (with --aws-sigv4) is required: apt-get install -y curl',
    );
    const docker = await requireDocker();
    await requireImages(docker, [RUNTIME_IMAGES.node]);
    redis = await startTestRedis();
    stack = await startStack({
      redisUrl: redis.url,
      gatewayEnv: { ACCESS_KEYS: `someone-else:another-secret,${KEY.id}:${KEY.secret}` },
    });
  });

  after(async () => {
    await stack?.stop();
    await redis?.stop();
  });

  it('serves the SDK and the CLI signing with a listed key, and refuses other keys', async () => {
    const name = uniqueName('signed');
    const sdk = client();
    await createNodeFunction(sdk, name, 'node-echo');
    const invoked = await invoke(sdk, name, { from: 'sdk' });
    assert.equal(invoked.output.StatusCode, 200);
    assert.deepEqual((invoked.json as { event: unknown }).event, { from: 'sdk' });

    const out = join(dir, 'out.json');
    const cli = aws(
      KEY.secret,
      'invoke',
      '--function-name',
      name,
      '--cli-binary-format',
      'raw-in-base64-out',
      '--payload',
      '{"from":"cli"}',
      out,
    );
    assert.equal(cli.status, 0, cli.stderr);
    const listed = aws(KEY.secret, 'list-functions');
    assert.equal(listed.status, 0, listed.stderr);
    assert.ok(
      (JSON.parse(listed.stdout) as { Functions: Array<{ FunctionName: string }> }).Functions.some(
        (f) => f.FunctionName === name,
      ),
    );

    const refusedCli = aws('not-the-secret', 'get-function', '--function-name', name);
    assert.equal(refusedCli.status, 254);
    assert.match(refusedCli.stderr, /\(InvalidSignatureException\) when calling the GetFunction/);
    await assert.rejects(
      client('not-the-secret').send(new ListFunctionsCommand({})),
      (err: { name?: string; $metadata?: { httpStatusCode?: number } }) =>
        err.name === 'InvalidSignatureException' && err.$metadata?.httpStatusCode === 403,
    );
    await assert.rejects(client(KEY.secret, 'nobody').send(new ListFunctionsCommand({})), {
      name: 'UnrecognizedClientException',
      message: 'The security token included in the request is invalid.',
    });
    const unsigned = await fetch(`${stack.endpoint}/2015-03-31/functions/${name}/invocations`, {
      method: 'POST',
      body: '{}',
    });
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');

    // Code.Location is a presigned link: it downloads the code that CodeSha256 names.
    const got = await sdk.send(new GetFunctionCommand({ FunctionName: name }));
    const code = await fetch(got.Code?.Location ?? '');
    assert.equal(code.status, 200);
    const sha = createHash('sha256')
      .update(Buffer.from(await code.arrayBuffer()))
      .digest('base64');
    assert.equal(sha, got.Configuration?.CodeSha256);
  });

  it('invokes an AWS_IAM function URL for a curl request signed by a listed key', async () => {
    const name = uniqueName('iam-url');
    const sdk = client();
    await createNodeFunction(sdk, name, 'node-http-echo');
    const { FunctionUrl } = await sdk.send(
      new CreateFunctionUrlConfigCommand({ FunctionName: name, AuthType: 'AWS_IAM' }),
    );
    assert.ok(FunctionUrl);
    const url = `${FunctionUrl}orders?id=7`;
    const signed = curl(url, KEY.secret, '{"item":"tea"}');
    assert.equal(signed.status, 200, signed.body);
    const { event } = JSON.parse(signed.body) as {
      event: {
        rawPath: string;
        body: string;
        requestContext: { authorizer: { iam: { accessKey: string } } };
      };
    };
    assert.equal(event.rawPath, '/orders');
    assert.equal(event.body, '{"item":"tea"}');
    assert.equal(event.requestContext.authorizer.iam.accessKey, KEY.id);

    const wrong = curl(url, 'not-the-secret', '{"item":"tea"}');
    assert.equal(wrong.status, 403);
    assert.match(wrong.body, /"Message":"Forbidden\./);
    const unsigned = await fetch(url, { method: 'POST', body: '{}' });
    assert.equal(unsigned.status, 403);

    // curl signs requests to the API itself too (the logs API, a route of lambdock's own).
    const logs = curl(`${stack.endpoint}/2015-03-31/functions/${name}/logs?limit=5`, KEY.secret);
    assert.equal(logs.status, 200, logs.body);
    const route = curl(
      `${stack.endpoint}/lambdock/v1/routes`,
      KEY.secret,
      JSON.stringify({ RouteKey: `GET /${name}`, FunctionName: name }),
    );
    assert.equal(route.status, 201, route.body);
    assert.equal(curl(`${stack.endpoint}/lambdock/v1/routes`, 'not-the-secret', '{}').status, 403);
  });

  it('accepts a zip uploaded by the CLI, whose body hash only the gateway computes', async () => {
    const name = uniqueName('cli-signed');
    const created = aws(KEY.secret, ...(await echoFunctionArgs(dir, name)));
    assert.equal(created.status, 0, created.stderr);
    assert.equal((JSON.parse(created.stdout) as { FunctionName: string }).FunctionName, name);
  });

  it('serves the CloudWatch Logs API to the logs SDK and the CLI signing for `logs`', async () => {
    const name = uniqueName('signedlogs');
    const sdk = client();
    await createNodeFunction(sdk, name, 'node-echo');
    await invoke(sdk, name, { from: 'logs' });
    const logs = (secretAccessKey: string): CloudWatchLogsClient =>
      new CloudWatchLogsClient({
        region: 'eu-central-1',
        endpoint: stack.endpoint,
        credentials: { accessKeyId: KEY.id, secretAccessKey },
        maxAttempts: 1,
      });
    const group = `/aws/lambda/${name}`;
    const filter = new FilterLogEventsCommand({ logGroupName: group, filterPattern: 'REPORT' });
    const signed = logs(KEY.secret);
    let found: FilterLogEventsCommandOutput | undefined;
    for (let i = 0; i < 50 && (found?.events?.length ?? 0) === 0; i++) {
      if (i > 0) await new Promise((resolve) => setTimeout(resolve, 200));
      // Until the first log lands, the group does not exist.
      found = await signed.send(filter).catch((err: Error) => {
        if (err.name === 'ResourceNotFoundException') return undefined;
        throw err;
      });
    }
    assert.equal(found?.events?.length, 1);
    const cli = awsCli(
      { endpoint: stack.endpoint, home: dir, accessKeyId: KEY.id, secretAccessKey: KEY.secret },
      'logs',
      'filter-log-events',
      '--log-group-name',
      group,
      '--filter-pattern',
      'REPORT',
    );
    assert.equal(cli.status, 0, cli.stderr);
    assert.equal((JSON.parse(cli.stdout) as { events: unknown[] }).events.length, 1);
    const refusedCli = awsCli(
      { endpoint: stack.endpoint, home: dir, accessKeyId: KEY.id, secretAccessKey: 'wrong' },
      'logs',
      'filter-log-events',
      '--log-group-name',
      group,
    );
    assert.equal(refusedCli.status, 254);
    // botocore reads a JSON-protocol error's code from the body's __type only.
    assert.match(
      refusedCli.stderr,
      /\(InvalidSignatureException\) when calling the FilterLogEvents operation/,
    );
    await assert.rejects(logs('not-the-secret').send(filter), (err: Error) => {
      assert.equal(err.name, 'InvalidSignatureException');
      return true;
    });
    signed.destroy();
  });
});
