import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { invocationHeaders } from '../src/runtime-api/handlers/next.js';

describe('invocation headers', () => {
  it('sends the deadline in whole epoch milliseconds, whatever clock computed it', () => {
    const headers = invocationHeaders(
      {
        requestId: 'r1',
        payload: Buffer.from('{}'),
        invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
        timeoutMs: 3000,
      },
      1796514377582.5469,
    );
    assert.equal(headers['Lambda-Runtime-Deadline-Ms'], '1796514377582');
  });
});
