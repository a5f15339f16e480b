/**
 * Function logs through the CloudWatch Logs API against a running stack: the real
 * `@aws-sdk/client-cloudwatch-logs` lists the group and its stream, filters and pages events and
 * reads the stream; the AWS CLI v2 runs `aws logs tail` (once, and with `--follow` while the
 * function is invoked again) and `aws logs get-log-events`.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { InvokeCommand, type LambdaClient } from '@aws-sdk/client-lambda';
import {
  CloudWatchLogsClient,
  DescribeLogGroupsCommand,
  DescribeLogStreamsCommand,
  FilterLogEventsCommand,
  GetLogEventsCommand,
  paginateFilterLogEvents,
  type FilteredLogEvent,
} from '@aws-sdk/client-cloudwatch-logs';
import { AWS_CLI, awsCli, cliEnv, type CliTarget } from '../helpers/aws-cli.js';
import { requireDocker, requireImages, RUNTIME_IMAGES } from '../helpers/docker.js';
import { createNodeFunction } from '../helpers/lambda.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { startStack, uniqueName, type Stack } from '../helpers/stack.js';

const STREAM_NAME = /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/;

async function invoke(client: LambdaClient, name: string, marker: string): Promise<void> {
  const out = await client.send(
    new InvokeCommand({ FunctionName: name, Payload: Buffer.from(JSON.stringify({ marker })) }),
  );
  assert.equal(out.FunctionError, undefined);
}

/** Poll `read` every 200 ms until `done` holds of its answer, at most `ms`. */
async function until<T>(read: () => Promise<T>, done: (t: T) => boolean, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('CloudWatch Logs API', () => {
  let redis: TestRedis;
  let stack: Stack;
  let lambda: LambdaClient;
  let logs: CloudWatchLogsClient;
  const name = uniqueName('logs');
  const group = `/aws/lambda/${name}`;
  const cli: CliTarget = {
    endpoint: '',
    home: mkdtempSync(join(tmpdir(), 'lambdock-logs-cli-')),
    accessKeyId: 'test',
    secretAccessKey: 'test',
  };

  const filter = async (filterPattern: string): Promise<FilteredLogEvent[]> => {
    const events: FilteredLogEvent[] = [];
    const pages = paginateFilterLogEvents(
      { client: logs, pageSize: 2 },
      { logGroupName: group, filterPattern },
    );
    for await (const page of pages) events.push(...(page.events ?? []));
    return events;
  };

  before(async () => {
    const version = spawnSync(AWS_CLI, ['--version'], { encoding: 'utf8' });
    assert.match(`${version.stdout}${version.stderr}`, /aws-cli\/2\./, 'AWS CLI v2 is required');
    const docker = await requireDocker();
    await requireImages(docker, [RUNTIME_IMAGES.node]);
    redis = await startTestRedis();
    stack = await startStack({ redisUrl: redis.url });
    cli.endpoint = stack.endpoint;
    lambda = stack.client();
    logs = new CloudWatchLogsClient({
      region: 'us-east-1',
      endpoint: stack.endpoint,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    await createNodeFunction(lambda, name, 'node-event-log');
    for (const marker of ['first', 'second', 'third']) await invoke(lambda, name, marker);
    // The logs land a moment after the answers; until the first does, the group does not exist.
    const landed = await until(
      () =>
        filter('lambdock-event').catch((err: Error) => {
          if (err.name === 'ResourceNotFoundException') return [];
          throw err;
        }),
      (events) => events.length >= 3,
      20_000,
    );
    assert.equal(landed.length, 3, 'the three invocations logged');
  });

  after(async () => {
    logs?.destroy();
    await stack?.stop();
    await redis?.stop();
  });

  it('lists the function’s group and its one stream, named as Lambda names them', async () => {
    const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: group }));
    assert.deepEqual(
      groups.logGroups?.map((g) => g.logGroupName),
      [group],
    );
    assert.ok((groups.logGroups?.[0]?.creationTime ?? 0) > Date.now() - 600_000);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    assert.equal(streams.logStreams?.length, 1, 'one environment served the three invocations');
    assert.match(streams.logStreams?.[0]?.logStreamName ?? '', STREAM_NAME);
  });

  it('filters and pages the events, in order, with Lambda’s START, END and REPORT lines', async () => {
    const markers = await filter('lambdock-event');
    assert.deepEqual(
      markers.map((e) => /"marker":"(\w+)"/.exec(e.message ?? '')?.[1]),
      ['first', 'second', 'third'],
    );
    assert.equal(new Set(markers.map((e) => e.eventId)).size, 3);
    assert.equal((await filter('START RequestId')).length, 3);
    const reports = await filter('REPORT');
    assert.equal(reports.length, 3);
    assert.match(reports[0]?.message ?? '', /Duration: [\d.]+ ms\tBilled Duration: \d+ ms/);
    await assert.rejects(
      logs.send(new FilterLogEventsCommand({ logGroupName: '/aws/lambda/none-such' })),
      (err: Error) =>
        err.name === 'ResourceNotFoundException' &&
        err.message === 'The specified log group does not exist.',
    );
  });

  it('reads the stream from its head', async () => {
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    const logStreamName = streams.logStreams?.[0]?.logStreamName ?? '';
    const head = await logs.send(
      new GetLogEventsCommand({
        logGroupName: group,
        logStreamName,
        startFromHead: true,
        limit: 4,
      }),
    );
    const lines = head.events?.map((e) => e.message ?? '') ?? [];
    assert.match(lines[0] ?? '', /^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/);
    assert.match(lines[1] ?? '', /lambdock-event \{"marker":"first"\}/);
    assert.match(lines[2] ?? '', /^END RequestId: /);
    assert.match(lines[3] ?? '', /^REPORT RequestId: /);
    assert.match(head.nextForwardToken ?? '', /^f\//);
  });

  it('answers `aws logs tail` and `aws logs get-log-events`', async () => {
    const tail = spawnSync(
      AWS_CLI,
      [
        '--endpoint-url',
        stack.endpoint,
        'logs',
        'tail',
        group,
        '--since',
        '1h',
        '--format',
        'short',
      ],
      { encoding: 'utf8', timeout: 60_000, env: cliEnv(cli) },
    );
    assert.equal(tail.status, 0, tail.stderr);
    const markers = tail.stdout.split('\n').filter((l) => l.includes('lambdock-event'));
    assert.equal(markers.length, 3, tail.stdout);
    assert.match(tail.stdout, /REPORT RequestId: /);
    const streams = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
    const got = awsCli(
      cli,
      'logs',
      'get-log-events',
      '--log-group-name',
      group,
      '--log-stream-name',
      streams.logStreams?.[0]?.logStreamName ?? '',
      '--limit',
      '4',
    );
    assert.equal(got.status, 0, got.stderr);
    assert.equal((JSON.parse(got.stdout) as { events: unknown[] }).events.length, 4);
  });

  it('follows with `aws logs tail --follow`: a new invocation shows up once', async () => {
    const child = spawn(
      AWS_CLI,
      ['--endpoint-url', stack.endpoint, 'logs', 'tail', group, '--follow', '--since', '1h'],
      // Unbuffered: into a pipe, Python would hold the lines until it exits.
      { env: { ...cliEnv(cli), PYTHONUNBUFFERED: '1' }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    const count = (marker: string): number =>
      out.split('\n').filter((l) => l.includes(`"marker":"${marker}"`)).length;
    try {
      await until(
        async () => count('third'),
        (n) => n > 0,
        30_000,
      );
      assert.equal(count('third'), 1, `${out}\n${err}`);
      await invoke(lambda, name, 'fourth');
      // The CLI polls every 5 s from the newest time it has seen.
      await until(
        async () => count('fourth'),
        (n) => n > 0,
        30_000,
      );
      await new Promise((resolve) => setTimeout(resolve, 6_000));
      for (const marker of ['first', 'second', 'third', 'fourth'])
        assert.equal(count(marker), 1, `${marker} once in:\n${out}\n${err}`);
    } finally {
      child.kill('SIGINT');
    }
  });
});
