/**
 * The CloudWatch Logs API's per-stream reads and listings: GetLogEvents with its forward and
 * backward tokens, DescribeLogStreams, DescribeLogGroups, and signed requests (ACCESS_KEYS).
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { demoGateway, messages, ok, refused, S1, S2 } from './helpers/logs-api.js';
import { closeServers, signedGateway, signedSend } from './helpers/signed-gateway.js';
import { activeRecord, seed } from './helpers/test-app.js';

const GROUP = { logGroupName: '/aws/lambda/demo' };

describe('GetLogEvents', () => {
  it('answers the newest events of the stream by default, and pages back and forward', async () => {
    const gw = await demoGateway();
    const newest = await ok(gw, 'GetLogEvents', { ...GROUP, logStreamName: S1, limit: 2 });
    assert.deepEqual(messages(newest), ['hello three', 'END RequestId: r3']);
    assert.match(String(newest['nextForwardToken']), /^f\/\d{56}$/);
    assert.match(String(newest['nextBackwardToken']), /^b\/\d{56}$/);
    const older = await ok(gw, 'GetLogEvents', {
      ...GROUP,
      logStreamName: S1,
      limit: 3,
      nextToken: newest['nextBackwardToken'],
    });
    assert.deepEqual(messages(older), [
      'hello ERROR one',
      'END RequestId: r1',
      'START RequestId: r3',
    ]);
    const none = await ok(gw, 'GetLogEvents', {
      ...GROUP,
      logStreamName: S1,
      nextToken: newest['nextForwardToken'],
    });
    assert.deepEqual(messages(none), []);
    assert.equal(
      none['nextForwardToken'],
      newest['nextForwardToken'],
      'at the end the token stays',
    );
    gw.logs.add('demo', 4000, 'arrived later\n', S1);
    const fresh = await ok(gw, 'GetLogEvents', {
      ...GROUP,
      logStreamName: S1,
      nextToken: none['nextForwardToken'],
    });
    assert.deepEqual(messages(fresh), ['arrived later']);
  });

  it('reads from the head forward with startFromHead, keeping to its own stream', async () => {
    const gw = await demoGateway();
    const head = await ok(gw, 'GetLogEvents', {
      ...GROUP,
      logStreamName: S2,
      startFromHead: true,
      limit: 2,
    });
    assert.deepEqual(messages(head), ['START RequestId: r2', 'WARN two']);
    const rest = await ok(gw, 'GetLogEvents', {
      ...GROUP,
      logStreamName: S2,
      nextToken: head['nextForwardToken'],
    });
    assert.deepEqual(messages(rest), ['END RequestId: r2']);
    assert.deepEqual(Object.keys((rest['events'] as object[])[0] ?? {}).sort(), [
      'ingestionTime',
      'message',
      'timestamp',
    ]);
  });

  it('finds a stream behind hundreds of newer invocations of other environments', async () => {
    const gw = await demoGateway();
    for (let i = 0; i < 600; i++) gw.logs.add('demo', 10_000 + i, `busy ${i}\n`, 'busy');
    const newest = await ok(gw, 'GetLogEvents', { ...GROUP, logStreamName: S2 });
    assert.deepEqual(messages(newest), ['START RequestId: r2', 'WARN two', 'END RequestId: r2']);
    const none = await ok(gw, 'GetLogEvents', {
      ...GROUP,
      logStreamName: S2,
      nextToken: newest['nextForwardToken'],
    });
    assert.deepEqual(messages(none), []);
    assert.equal(none['nextForwardToken'], newest['nextForwardToken']);
  });

  it('refuses an unknown stream, a missing one and a foreign token', async () => {
    const gw = await demoGateway();
    assert.equal(
      await refused(
        gw,
        'GetLogEvents',
        { ...GROUP, logStreamName: 'nope' },
        'ResourceNotFoundException',
      ),
      'The specified log stream does not exist.',
    );
    assert.equal(
      await refused(gw, 'GetLogEvents', GROUP, 'InvalidParameterException'),
      "1 validation error detected: Value null at 'logStreamName' failed to satisfy constraint: Member must not be null",
    );
    await refused(
      gw,
      'GetLogEvents',
      { ...GROUP, logStreamName: S1, nextToken: 'f/123' },
      'InvalidParameterException',
    );
  });
});

describe('DescribeLogStreams', () => {
  it('lists a group’s streams with their first and last events, by name or by last event', async () => {
    const gw = await demoGateway();
    const byName = await ok(gw, 'DescribeLogStreams', GROUP);
    assert.deepEqual(byName['logStreams'], [
      {
        logStreamName: S1,
        creationTime: 1000,
        firstEventTimestamp: 1000,
        lastEventTimestamp: 3000,
        lastIngestionTime: 3000,
        arn: `arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/demo:log-stream:${S1}`,
        storedBytes: 0,
      },
      {
        logStreamName: S2,
        creationTime: 2000,
        firstEventTimestamp: 2000,
        lastEventTimestamp: 2000,
        lastIngestionTime: 2000,
        arn: `arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/demo:log-stream:${S2}`,
        storedBytes: 0,
      },
    ]);
    const names = (body: Record<string, unknown>): string[] =>
      (body['logStreams'] as Array<{ logStreamName: string }>).map((s) => s.logStreamName);
    const latest = await ok(gw, 'DescribeLogStreams', {
      ...GROUP,
      orderBy: 'LastEventTime',
      descending: true,
      limit: 1,
    });
    assert.deepEqual(names(latest), [S1]);
    const next = await ok(gw, 'DescribeLogStreams', {
      ...GROUP,
      orderBy: 'LastEventTime',
      descending: true,
      nextToken: latest['nextToken'],
    });
    assert.deepEqual(names(next), [S2]);
    assert.equal(next['nextToken'], undefined);
    assert.deepEqual(
      names(await ok(gw, 'DescribeLogStreams', { ...GROUP, logStreamNamePrefix: S2 })),
      [S2],
    );
    assert.equal(
      await refused(
        gw,
        'DescribeLogStreams',
        { ...GROUP, orderBy: 'LastEventTime', logStreamNamePrefix: 'x' },
        'InvalidParameterException',
      ),
      'Cannot order by LastEventTime with a logStreamNamePrefix.',
    );
    await refused(
      gw,
      'DescribeLogStreams',
      { ...GROUP, orderBy: 'Size' },
      'InvalidParameterException',
    );
    await refused(gw, 'DescribeLogStreams', { ...GROUP, limit: 51 }, 'InvalidParameterException');
    const oldestFirst = await ok(gw, 'DescribeLogStreams', { ...GROUP, orderBy: 'LastEventTime' });
    assert.deepEqual(names(oldestFirst), [S2, S1]);
    const namesDown = await ok(gw, 'DescribeLogStreams', { ...GROUP, descending: true, limit: 1 });
    assert.deepEqual(names(namesDown), [S2]);
    const namesDownNext = await ok(gw, 'DescribeLogStreams', {
      ...GROUP,
      descending: true,
      nextToken: namesDown['nextToken'],
    });
    assert.deepEqual(names(namesDownNext), [S1]);
    assert.equal(
      await refused(
        gw,
        'DescribeLogStreams',
        { ...GROUP, nextToken: namesDown['nextToken'] },
        'InvalidParameterException',
      ),
      'The specified nextToken is invalid.',
      'a token of another order',
    );
  });
});

describe('DescribeLogGroups', () => {
  it('lists the groups that hold events, by name, a page at a time', async () => {
    const gw = await demoGateway();
    await seed(gw, activeRecord('quiet'));
    await seed(
      gw,
      activeRecord('other', { loggingConfig: { LogFormat: 'Text', LogGroup: '/team/other' } }),
    );
    gw.logs.add('other', 500, 'x\n', 's');
    const groups = (body: Record<string, unknown>): unknown[] => body['logGroups'] as unknown[];
    const all = await ok(gw, 'DescribeLogGroups', {});
    assert.deepEqual(groups(all), [
      {
        logGroupName: '/aws/lambda/demo',
        creationTime: 1000,
        metricFilterCount: 0,
        arn: 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/demo:*',
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        logGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:/aws/lambda/demo',
      },
      {
        logGroupName: '/team/other',
        creationTime: 500,
        metricFilterCount: 0,
        arn: 'arn:aws:logs:us-east-1:111111111111:log-group:/team/other:*',
        storedBytes: 0,
        logGroupClass: 'STANDARD',
        logGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:/team/other',
      },
    ]);
    const first = await ok(gw, 'DescribeLogGroups', { limit: 1 });
    assert.equal(groups(first).length, 1);
    const second = await ok(gw, 'DescribeLogGroups', { nextToken: first['nextToken'] });
    assert.deepEqual(
      groups(second).map((g) => (g as { logGroupName: string }).logGroupName),
      ['/team/other'],
    );
    const prefixed = await ok(gw, 'DescribeLogGroups', { logGroupNamePrefix: '/aws/lambda/' });
    assert.equal(groups(prefixed).length, 1);
    const pattern = await ok(gw, 'DescribeLogGroups', { logGroupNamePattern: 'OTHER' });
    assert.equal(groups(pattern).length, 1);
    await refused(
      gw,
      'DescribeLogGroups',
      { logGroupNamePrefix: '/a', logGroupNamePattern: 'b' },
      'InvalidParameterException',
    );
    await refused(
      gw,
      'DescribeLogGroups',
      { nextToken: 'not base64!' },
      'InvalidParameterException',
    );
  });
});

describe('signed logs requests (ACCESS_KEYS)', () => {
  after(closeServers);

  it('takes a request signed for `logs` and refuses one unsigned or signed for `lambda`', async () => {
    const { gw, port } = await signedGateway();
    gw.logs.add('demo', 1000, 'signed line\n', S1);
    const body = JSON.stringify(GROUP);
    const headers = {
      'x-amz-target': 'Logs_20140328.FilterLogEvents',
      'content-type': 'application/x-amz-json-1.1',
    };
    const good = await signedSend(port, {
      method: 'POST',
      path: '/',
      body,
      headers,
      service: 'logs',
    });
    assert.equal(good.status, 200, good.body);
    assert.deepEqual(
      (JSON.parse(good.body) as { events: Array<{ message: string }> }).events.map(
        (e) => e.message,
      ),
      ['signed line'],
    );
    const wrongService = await signedSend(port, {
      method: 'POST',
      path: '/',
      body,
      headers,
      service: 'lambda',
    });
    assert.equal(wrongService.status, 403, wrongService.body);
    assert.match(wrongService.body, /scoped to correct service: 'logs'/);
    assert.equal(
      (JSON.parse(wrongService.body) as { __type?: string }).__type,
      'InvalidSignatureException',
      'the JSON protocol names the error in the body',
    );
    const unsigned = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body, headers });
    assert.equal(unsigned.status, 403);
    assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
    assert.deepEqual(await unsigned.json(), {
      __type: 'MissingAuthenticationTokenException',
      message: 'Missing Authentication Token',
    });
  });
});
