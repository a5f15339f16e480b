import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { quietErrorLog } from '../src/jobs/quiet-error-log.js';

function logged() {
  const lines: string[] = [];
  return {
    lines,
    log: { error: (fields: { err: Error }) => void lines.push(fields.err.message) } as never,
  };
}

describe('quiet error log', () => {
  it('logs an error, leaves out the same message within the quiet time, and logs it after', () => {
    const { lines, log } = logged();
    let now = 1_000;
    const onError = quietErrorLog(log, 1_000, () => now);
    onError(new Error('connect ECONNREFUSED'));
    now += 10;
    onError(new Error('connect ECONNREFUSED'));
    now += 980;
    onError(new Error('connect ECONNREFUSED'));
    assert.deepEqual(lines, ['connect ECONNREFUSED']);
    now += 10;
    onError(new Error('connect ECONNREFUSED'));
    assert.deepEqual(lines, ['connect ECONNREFUSED', 'connect ECONNREFUSED']);
  });

  it('logs another message at once', () => {
    const { lines, log } = logged();
    const onError = quietErrorLog(log, 1_000, () => 5_000);
    onError(new Error('connect ECONNREFUSED'));
    onError(new Error('READONLY You cannot write against a read only replica.'));
    onError(new Error('connect ECONNREFUSED'));
    assert.deepEqual(lines, [
      'connect ECONNREFUSED',
      'READONLY You cannot write against a read only replica.',
      'connect ECONNREFUSED',
    ]);
  });

  it('with no quiet time logs every error', () => {
    const { lines, log } = logged();
    const onError = quietErrorLog(log, 0, () => 5_000);
    onError(new Error('x'));
    onError(new Error('x'));
    assert.equal(lines.length, 2);
  });
});
