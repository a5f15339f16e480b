/**
 * The pieces under the CloudWatch Logs API: filter patterns (linear-time regular expressions
 * included), event ids, and the event reader's bounded, merged reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AppError, type LogEntry } from '@lambdock/core';
import {
  ENTRIES_PER_CHUNK,
  READ_BUDGET,
  readEvents,
  type ReadRequest,
} from '../src/cloudwatch-logs/event-reader.js';
import { compileFilterPattern } from '../src/cloudwatch-logs/filter-pattern.js';
import {
  compareKeys,
  eventIdOf,
  functionDigits,
  keyOfEventId,
} from '../src/cloudwatch-logs/log-events.js';
import { MemoryLogs } from './helpers/memory-logs.js';

describe('filter patterns', () => {
  const cases: Array<[string, string, boolean]> = [
    ['', 'anything', true],
    ['ERROR', 'an ERROR here', true],
    ['ERROR', 'an error here', false],
    ['ERROR timeout', 'timeout after ERROR', true],
    ['ERROR timeout', 'ERROR only', false],
    ['"Task timed out"', 'Task timed out after 3.00 seconds', true],
    ['"Task timed out"', 'Task was timed out', false],
    ['?ERROR ?WARN', 'WARN low disk', true],
    ['?ERROR ?WARN', 'INFO fine', false],
    ['ERROR -retrying', 'ERROR retrying in 1 s', false],
    ['ERROR -retrying', 'ERROR gave up', true],
    ['%Duration: [0-9]{4}\\.%', 'REPORT Duration: 1234.56 ms', true],
    ['%Duration: [0-9]{4}\\.%', 'REPORT Duration: 12.56 ms', false],
  ];
  for (const [pattern, message, expected] of cases) {
    it(`${JSON.stringify(pattern)} ${expected ? 'matches' : 'does not match'} ${JSON.stringify(message)}`, () => {
      assert.equal(compileFilterPattern(pattern)(message), expected);
    });
  }

  it('runs a pattern that would backtrack for ever in linear time', { timeout: 10_000 }, () => {
    // With a backtracking engine, this takes longer than the test run; linear, milliseconds.
    const evil = compileFilterPattern('%(a+)+$%');
    assert.equal(evil(`${'a'.repeat(50_000)}!`), false);
    assert.equal(evil('a'.repeat(50_000)), true);
    assert.equal(compileFilterPattern('%^(a|aa)+$%')(`${'a'.repeat(50_000)}!`), false);
  });

  it('refuses what it cannot match as AWS does: JSON, space-delimited, backtracking, unclosed', () => {
    for (const pattern of [
      '{ $.level = "ERROR" }',
      '[ip, user]',
      '%(a)\\1%',
      '%(?=a)b%',
      '"open',
      '%(%',
    ]) {
      assert.throws(
        () => compileFilterPattern(pattern),
        (err: unknown) => err instanceof AppError && err.awsType === 'InvalidParameterException',
        pattern,
      );
    }
  });
});

describe('event ids', () => {
  it('spell the key in 56 digits and read back to it; order follows time, entry, function, line', () => {
    const fn = functionDigits('demo');
    assert.match(fn, /^\d{16}$/);
    assert.equal(functionDigits('demo'), fn, 'stable');
    const key = { ms: 1_765_000_000_123, seq: 7, fn, line: 3 };
    const id = eventIdOf(key);
    assert.match(id, /^\d{56}$/);
    assert.deepEqual(keyOfEventId(id), key);
    assert.equal(keyOfEventId('12'), undefined);
    const later = [
      { ...key, line: 4 },
      { ...key, seq: 8, line: 0 },
      { ...key, ms: key.ms + 1, seq: 0, line: 0 },
    ];
    for (const k of later) assert.ok(compareKeys(key, k) < 0 && compareKeys(k, key) > 0);
  });
});

/** MemoryLogs that counts the entries its reads return. */
class CountingLogs extends MemoryLogs {
  entriesRead = 0;
  override async range(fn: string, start: string, end: string, limit: number): Promise<LogEntry[]> {
    const got = await super.range(fn, start, end, limit);
    this.entriesRead += got.length;
    return got;
  }
  override async rangeBack(
    fn: string,
    end: string,
    start: string,
    limit: number,
  ): Promise<LogEntry[]> {
    const got = await super.rangeBack(fn, end, start, limit);
    this.entriesRead += got.length;
    return got;
  }
}

const member = (name: string) => ({ name, fn: functionDigits(name) });
const request = (over: Partial<ReadRequest>): ReadRequest => ({
  members: [member('a')],
  want: () => true,
  limit: 10_000,
  maxBytes: 1024 * 1024,
  ...over,
});

describe('event reader', () => {
  it('reads a few entries for a small page, however long the history', async () => {
    const logs = new CountingLogs();
    for (let i = 0; i < 200; i++) logs.add('a', 1000 + i, `${'x'.repeat(100_000)}\n`, 's');
    const page = await readEvents(logs, request({ limit: 1 }), 'forward');
    assert.equal(page.events.length, 1);
    assert.ok(page.next !== undefined);
    assert.ok(logs.entriesRead <= 2 * ENTRIES_PER_CHUNK, `read ${logs.entriesRead} entries`);
  });

  it('stops at its read budget with a token, and the pages cover everything once', async () => {
    const logs = new CountingLogs();
    for (let i = 0; i < 1200; i++) logs.add('a', 1000 + i, `line ${i}\n`, 's');
    logs.add('a', 5000, 'needle\n', 's');
    const seen: string[] = [];
    let from = undefined as ReadRequest['from'];
    let pages = 0;
    for (;;) {
      pages += 1;
      assert.ok(pages <= 20, 'the pages end');
      const before = logs.entriesRead;
      const page = await readEvents(
        logs,
        request({ want: (e) => e.message === 'needle', ...(from === undefined ? {} : { from }) }),
        'forward',
      );
      assert.ok(logs.entriesRead - before <= READ_BUDGET.entries + ENTRIES_PER_CHUNK);
      seen.push(...page.events.map((e) => e.message));
      if (page.next === undefined) break;
      from = page.next;
    }
    assert.deepEqual(seen, ['needle']);
    assert.equal(pages, 3, 'two pages spent their budget; the third reached the end');
  });

  it('cuts a page at 1 MB of UTF-8, counting 26 bytes an event, and keeps one longer event', async () => {
    const logs = new MemoryLogs();
    for (let i = 0; i < 4; i++) logs.add('a', 1000 + i, `${'x'.repeat(300_000)}\n`, 's');
    const page = await readEvents(logs, request({}), 'forward');
    assert.equal(page.events.length, 3);
    assert.ok(page.next !== undefined);
    const rest = await readEvents(logs, request({ from: page.next }), 'forward');
    assert.deepEqual(
      rest.events.map((e) => e.timestamp),
      [1003],
    );
    assert.equal(rest.next, undefined);
    const wide = new MemoryLogs();
    // 400,000 characters, 800,000 bytes of UTF-8: two do not fit in 1 MB.
    for (let i = 0; i < 2; i++) wide.add('a', 1000 + i, `${'é'.repeat(400_000)}\n`, 's');
    assert.equal((await readEvents(wide, request({}), 'forward')).events.length, 1);
    const huge = new MemoryLogs();
    huge.add('a', 1000, `${'x'.repeat(2_000_000)}\n`, 's');
    assert.equal((await readEvents(huge, request({}), 'forward')).events.length, 1);
  });

  it('merges several functions in time order both ways, one of them far longer than a chunk', async () => {
    const logs = new MemoryLogs();
    for (let i = 0; i < 100; i++) logs.add('a', 1000 + 2 * i, `a${i}\n`, 'sa');
    for (const at of [1001, 1099, 1199]) logs.add('b', at, `b${at}\n`, 'sb');
    const both = request({ members: [member('a'), member('b')] });
    const forward = (await readEvents(logs, both, 'forward')).events.map((e) => e.timestamp);
    assert.equal(forward.length, 103);
    assert.deepEqual(
      forward,
      [...forward].sort((x, y) => x - y),
    );
    const backward = (await readEvents(logs, both, 'backward')).events.map((e) => e.timestamp);
    assert.deepEqual(backward, [...forward].reverse());
  });

  it('pages several functions, same milliseconds included, both ways, as one full read', async () => {
    const logs = new MemoryLogs();
    for (let i = 0; i < 40; i++) {
      for (const name of ['a', 'b', 'c']) {
        if ((i + name.charCodeAt(0)) % 3 !== 0)
          logs.add(name, 1000 + (i >> 1), `${name}${i}\nsecond\n`, name);
      }
    }
    const members = ['a', 'b', 'c'].map(member);
    for (const direction of ['forward', 'backward'] as const) {
      const whole = await readEvents(logs, request({ members }), direction);
      assert.equal(whole.next, undefined);
      for (let limit = 1; limit <= 7; limit++) {
        const paged: string[] = [];
        let from: ReadRequest['from'];
        for (let page = 0; page < 500; page++) {
          const got = await readEvents(
            logs,
            request({ members, limit, ...(from === undefined ? {} : { from }) }),
            direction,
          );
          paged.push(...got.events.map((e) => eventIdOf(e.key)));
          if (got.next === undefined) break;
          from = got.next;
        }
        assert.deepEqual(
          paged,
          whole.events.map((e) => eventIdOf(e.key)),
          `${direction}, limit ${limit}`,
        );
      }
    }
  });

  it('stops reading once the page is full', async () => {
    const logs = new CountingLogs();
    logs.add('a', 1000, 'rare\n', 's');
    for (let i = 1; i < 1000; i++) logs.add('a', 1000 + i, `common ${i}\n`, 's');
    const page = await readEvents(
      logs,
      request({ limit: 1, want: (e) => e.message === 'rare' }),
      'forward',
    );
    assert.deepEqual(
      page.events.map((e) => e.message),
      ['rare'],
    );
    assert.ok(logs.entriesRead <= ENTRIES_PER_CHUNK, `read ${logs.entriesRead} entries`);
  });

  it('keeps a group of many functions near its budget, and its pages still reach the end', async () => {
    const logs = new CountingLogs();
    const names = Array.from({ length: 40 }, (_, i) => `f${i}`);
    for (const [n, name] of names.entries())
      for (let i = 0; i < 30; i++) logs.add(name, 1000 + i * 40 + n, `${name} ${i}\n`, name);
    const members = names.map(member);
    let from: ReadRequest['from'];
    let pages = 0;
    let found = 0;
    for (;;) {
      pages += 1;
      assert.ok(pages <= 20, 'the pages end');
      const before = logs.entriesRead;
      const got = await readEvents(
        logs,
        request({
          members,
          want: (e) => e.message === 'f7 29',
          ...(from === undefined ? {} : { from }),
        }),
        'forward',
      );
      const read = logs.entriesRead - before;
      assert.ok(read <= READ_BUDGET.entries + 40 * 4 + ENTRIES_PER_CHUNK, `read ${read} entries`);
      found += got.events.length;
      if (got.next === undefined) break;
      from = got.next;
    }
    assert.equal(found, 1);
    assert.ok(pages >= 2, `1,200 entries take more than one page: ${pages}`);
  });
});
