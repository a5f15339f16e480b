import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  billedDurationMs,
  frameInvocationLog,
  logTail,
  reportLine,
} from '../src/invoke/log-frame.js';

const id = 'req-1';

describe('log framing', () => {
  it('frames output with START, END and a tab-separated REPORT', () => {
    const text = frameInvocationLog({
      requestId: id,
      version: '$LATEST',
      preOutput: Buffer.alloc(0),
      output: Buffer.from('hello\nworld'),
      truncated: false,
      limitBytes: 100,
      durationMs: 12.345,
      memorySizeMb: 128,
      maxMemoryUsedMb: 40,
    });
    assert.equal(
      text,
      'START RequestId: req-1 Version: $LATEST\nhello\nworld\nEND RequestId: req-1\n' +
        'REPORT RequestId: req-1\tDuration: 12.35 ms\tBilled Duration: 13 ms\tMemory Size: 128 MB\tMax Memory Used: 40 MB\t\n',
    );
  });

  it('adds Init Duration on cold starts and Status on platform failures', () => {
    assert.equal(
      reportLine({
        requestId: id,
        durationMs: 3000,
        memorySizeMb: 128,
        maxMemoryUsedMb: 1,
        initDurationMs: 150.5,
        status: 'timeout',
      }),
      'REPORT RequestId: req-1\tDuration: 3000.00 ms\tBilled Duration: 3000 ms\tMemory Size: 128 MB\tMax Memory Used: 1 MB\tInit Duration: 150.50 ms\tStatus: timeout\t\n',
    );
    assert.match(
      reportLine({
        requestId: id,
        durationMs: 1,
        memorySizeMb: 128,
        maxMemoryUsedMb: 1,
        status: 'error',
        errorType: 'Runtime.ExitError',
      }),
      /\tStatus: error\tError Type: Runtime\.ExitError\t\n$/,
    );
  });

  it('puts pre-output before START and marks truncation before END', () => {
    const text = frameInvocationLog({
      requestId: id,
      version: '1',
      preOutput: Buffer.from('init line\n'),
      output: Buffer.from('partial'),
      truncated: true,
      limitBytes: 7,
      durationMs: 1,
      memorySizeMb: 128,
      maxMemoryUsedMb: 1,
    });
    assert.ok(
      text.startsWith(
        'init line\nSTART RequestId: req-1 Version: 1\npartial\n[lambdock] log output truncated',
      ),
    );
    assert.match(text, /dropped\nEND RequestId: req-1\n/);
  });

  it('bills at least 1 ms, rounded up', () => {
    assert.equal(billedDurationMs(0.2), 1);
    assert.equal(billedDurationMs(10.01), 11);
  });

  it('returns the last 4 KB as base64', () => {
    const text = 'a'.repeat(5000) + 'END';
    const tail = Buffer.from(logTail(text), 'base64').toString();
    assert.equal(tail.length, 4096);
    assert.ok(tail.endsWith('END'));
    assert.equal(Buffer.from(logTail('short'), 'base64').toString(), 'short');
  });
});
