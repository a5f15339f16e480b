/**
 * The CloudWatch Logs API over functions' logs: FilterLogEvents and GetLogEvents paging,
 * filters and tokens, the describe operations, and the JSON protocol's errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  demoGateway,
  messages,
  ok,
  refused,
  S1,
  S2,
  type LogsEvent as Event,
} from './helpers/logs-api.js';
import { activeRecord, createTestGateway, seed } from './helpers/test-app.js';

describe('FilterLogEvents', () => {
  it('answers every line as an event, in time order across streams, with unique 56-digit ids', async () => {
    const gw = await demoGateway();
    const body = await ok(gw, 'FilterLogEvents', {
      logGroupName: '/aws/lambda/demo',
      interleaved: true,
    });
    const events = body['events'] as Event[];
    assert.deepEqual(messages(body), [
      'START RequestId: r1',
      'hello ERROR one',
      'END RequestId: r1',
      'START RequestId: r2',
      'WARN two',
      'END RequestId: r2',
      'START RequestId: r3',
      'hello three',
      'END RequestId: r3',
    ]);
    assert.deepEqual(
      events.map((e) => [e.logStreamName, e.timestamp, e.ingestionTime]).slice(2, 5),
      [
        [S1, 1000, 1000],
        [S2, 2000, 2000],
        [S2, 2000, 2000],
      ],
    );
    assert.ok(events.every((e) => /^\d{56}$/.test(e.eventId)));
    assert.equal(new Set(events.map((e) => e.eventId)).size, events.length);
    assert.equal(body['nextToken'], undefined, 'everything was read');
    assert.deepEqual(body['searchedLogStreams'], []);
  });

  it('pages by limit without a gap or a repeat, and ends without a token', async () => {
    const gw = await demoGateway();
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const body = await ok(gw, 'FilterLogEvents', {
        logGroupName: '/aws/lambda/demo',
        limit: 2,
        ...(token === undefined ? {} : { nextToken: token }),
      });
      seen.push(...messages(body));
      token = body['nextToken'] as string | undefined;
      pages++;
    } while (token !== undefined && pages < 20);
    assert.equal(seen.length, 9);
    assert.deepEqual(
      seen,
      messages(await ok(gw, 'FilterLogEvents', { logGroupName: '/aws/lambda/demo' })),
    );
    assert.equal(pages, 5);
  });

  it('keeps the time window (both ends inclusive), the streams asked for and the pattern', async () => {
    const gw = await demoGateway();
    const group = { logGroupName: '/aws/lambda/demo' };
    const window = await ok(gw, 'FilterLogEvents', { ...group, startTime: 2000, endTime: 3000 });
    assert.equal(messages(window)[0], 'START RequestId: r2');
    assert.equal(messages(window).length, 6);
    const s2 = await ok(gw, 'FilterLogEvents', { ...group, logStreamNames: [S2] });
    assert.deepEqual(messages(s2), ['START RequestId: r2', 'WARN two', 'END RequestId: r2']);
    const prefixed = await ok(gw, 'FilterLogEvents', {
      ...group,
      logStreamNamePrefix: `${S1.slice(0, -2)}`,
    });
    assert.equal(messages(prefixed).length, 6);
    const cases: Array<[string, string[]]> = [
      ['hello', ['hello ERROR one', 'hello three']],
      ['hello ERROR', ['hello ERROR one']],
      ['?ERROR ?WARN', ['hello ERROR one', 'WARN two']],
      ['hello -ERROR', ['hello three']],
      ['"RequestId: r2"', ['START RequestId: r2', 'END RequestId: r2']],
      ['error', []],
      ['%^(WARN|hello) t%', ['WARN two', 'hello three']],
    ];
    for (const [filterPattern, expected] of cases) {
      const body = await ok(gw, 'FilterLogEvents', { ...group, filterPattern });
      assert.deepEqual(messages(body), expected, filterPattern);
    }
  });

  it('follows as `aws logs tail --follow` does: from the newest time seen, no event twice', async () => {
    const gw = await demoGateway();
    // The CLI's loop: poll from the newest timestamp seen, skipping the ids seen at it.
    let idsAtNewest = new Map<number, Set<string>>();
    let startTime: number | undefined;
    const shown: string[] = [];
    const poll = async (): Promise<void> => {
      const body = await ok(gw, 'FilterLogEvents', {
        logGroupName: '/aws/lambda/demo',
        interleaved: true,
        ...(startTime === undefined ? {} : { startTime }),
      });
      for (const e of body['events'] as Event[]) {
        const ids = idsAtNewest.get(e.timestamp) ?? new Set<string>();
        if (!ids.has(e.eventId)) shown.push(e.message);
        idsAtNewest.set(e.timestamp, ids.add(e.eventId));
      }
      const newest = Math.max(...idsAtNewest.keys());
      idsAtNewest = new Map([[newest, idsAtNewest.get(newest) ?? new Set<string>()]]);
      startTime = newest;
    };
    await poll();
    // A new invocation in the same millisecond as the newest seen, then a later one.
    gw.logs.add('demo', 3000, 'START RequestId: r4\nsame millisecond\n', S2);
    gw.logs.add('demo', 4000, 'later\n', S1);
    await poll();
    await poll();
    assert.equal(shown.length, 12);
    assert.deepEqual(shown.slice(-3), ['START RequestId: r4', 'same millisecond', 'later']);
    assert.equal(new Set(shown).size, 12, 'no event shown twice');
  });

  it('merges the functions that share a log group, and takes the group by ARN', async () => {
    const gw = createTestGateway();
    const shared = { LogFormat: 'Text' as const, LogGroup: '/shared/app' };
    await seed(gw, activeRecord('a', { loggingConfig: shared }));
    await seed(gw, activeRecord('b', { loggingConfig: shared }));
    gw.logs.add('a', 10, 'a1\n', 'sa');
    gw.logs.add('b', 20, 'b1\n', 'sb');
    gw.logs.add('a', 30, 'a2\n', 'sa');
    const arn = 'arn:aws:logs:us-east-1:111111111111:log-group:/shared/app:*';
    const body = await ok(gw, 'FilterLogEvents', { logGroupIdentifier: arn });
    assert.deepEqual(messages(body), ['a1', 'b1', 'a2']);
    await refused(
      gw,
      'FilterLogEvents',
      { logGroupName: '/aws/lambda/a' },
      'ResourceNotFoundException',
    );
    const foreign = 'arn:aws:logs:us-east-1:222222222222:log-group:/shared/app';
    await refused(
      gw,
      'FilterLogEvents',
      { logGroupIdentifier: foreign },
      'ResourceNotFoundException',
    );
  });

  it('reads a long group a bounded slice at a time and still misses nothing', async () => {
    const gw = createTestGateway();
    const shared = { LogFormat: 'Text' as const, LogGroup: '/shared/busy' };
    await seed(gw, activeRecord('busy', { loggingConfig: shared }));
    await seed(gw, activeRecord('quiet', { loggingConfig: shared }));
    for (let i = 0; i < 1200; i++) gw.logs.add('busy', 1000 + i, `busy ${i}\n`, 's');
    for (const at of [1001, 1600, 2150, 5000]) gw.logs.add('quiet', at, `quiet ${at}\n`, 'q');
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    while (pages < 50) {
      pages += 1;
      const body = await ok(gw, 'FilterLogEvents', {
        logGroupName: '/shared/busy',
        filterPattern: 'quiet',
        ...(token === undefined ? {} : { nextToken: token }),
      });
      seen.push(...messages(body));
      token = body['nextToken'] as string | undefined;
      if (token === undefined) break;
    }
    assert.equal(token, undefined);
    assert.deepEqual(seen, ['quiet 1001', 'quiet 1600', 'quiet 2150', 'quiet 5000']);
    assert.ok(pages >= 3, `a bounded read a page: ${pages} pages`);
  });

  it('refuses what AWS refuses, in the JSON protocol', async () => {
    const gw = await demoGateway();
    const group = { logGroupName: '/aws/lambda/demo' };
    assert.equal(
      await refused(
        gw,
        'FilterLogEvents',
        { logGroupName: '/aws/lambda/nope' },
        'ResourceNotFoundException',
      ),
      'The specified log group does not exist.',
    );
    await seed(gw, activeRecord('silent'));
    await refused(
      gw,
      'FilterLogEvents',
      { logGroupName: '/aws/lambda/silent' },
      'ResourceNotFoundException',
    );
    assert.equal(
      await refused(gw, 'FilterLogEvents', { ...group, limit: 0 }, 'InvalidParameterException'),
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    assert.equal(
      await refused(
        gw,
        'FilterLogEvents',
        { ...group, nextToken: 'x' },
        'InvalidParameterException',
      ),
      'The specified nextToken is invalid.',
    );
    await refused(
      gw,
      'FilterLogEvents',
      { ...group, logGroupIdentifier: '/aws/lambda/demo' },
      'InvalidParameterException',
    );
    await refused(gw, 'FilterLogEvents', {}, 'InvalidParameterException');
    await refused(
      gw,
      'FilterLogEvents',
      { ...group, startTime: 5, endTime: 4 },
      'InvalidParameterException',
    );
    await refused(
      gw,
      'FilterLogEvents',
      { ...group, logStreamNames: [S1], logStreamNamePrefix: 'x' },
      'InvalidParameterException',
    );
    await refused(
      gw,
      'FilterLogEvents',
      { ...group, filterPattern: '{ $.level = "ERROR" }' },
      'InvalidParameterException',
    );
    await refused(
      gw,
      'FilterLogEvents',
      { ...group, filterPattern: '%(%' },
      'InvalidParameterException',
    );
    await refused(gw, 'FilterLogEvents', { ...group, limit: 'ten' }, 'SerializationException');
    await refused(gw, 'FilterLogEvents', '{"logGroupName":', 'SerializationException');
    assert.match(
      await refused(
        gw,
        'PutLogEvents',
        { ...group, logStreamName: S1 },
        'InvalidOperationException',
      ),
      /PutLogEvents is not supported: .*FilterLogEvents/,
    );
    await refused(gw, 'not an operation', {}, 'UnknownOperationException');
    for (const inherited of ['constructor', 'toString', 'hasOwnProperty']) {
      await refused(gw, inherited, {}, 'UnknownOperationException');
    }
  });
});
