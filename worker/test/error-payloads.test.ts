import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  exitError,
  exitReason,
  responseTooLargeError,
  timeoutError,
} from '../src/invoke/error-payloads.js';

const id = '11111111-2222-3333-4444-555555555555';

describe('platform error payloads (byte-exact, as AWS)', () => {
  it('timeout: errorType first, two decimals', () => {
    assert.equal(
      timeoutError(id, 3).payload.toString(),
      `{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: ${id} Error: Task timed out after 3.00 seconds"}`,
    );
  });

  it('oversized response: errorMessage first', () => {
    assert.equal(
      responseTooLargeError(6291556).payload.toString(),
      '{"errorMessage":"Response payload size exceeded maximum allowed payload size (6291556 bytes).","errorType":"Function.ResponseSizeTooLarge"}',
    );
  });

  it('runtime exit with and without a status', () => {
    assert.equal(
      exitError(id, { code: 127, oomKilled: false }).payload.toString(),
      `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: ${id} Error: Runtime exited with error: exit status 127"}`,
    );
    assert.equal(
      exitError(id, { code: 0, oomKilled: false }).payload.toString(),
      `{"errorType":"Runtime.ExitError","errorMessage":"RequestId: ${id} Error: Runtime exited without providing a reason"}`,
    );
  });

  it('out of memory and signals', () => {
    const oom = exitError(id, { code: 137, oomKilled: true });
    assert.equal(oom.errorType, 'Runtime.OutOfMemory');
    assert.equal(oom.errorKind, 'oom');
    assert.match(oom.payload.toString(), /Runtime exited with error: signal: killed/);
    assert.equal(exitReason(139), 'signal: segmentation fault');
    assert.equal(exitReason(1), 'exit status 1');
  });
});
