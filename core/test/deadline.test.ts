import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineError, withDeadline } from '../src/deadline.js';

describe('withDeadline', () => {
  it('passes on what settles in time, value or error', async () => {
    assert.equal(await withDeadline(Promise.resolve(7), 50), 7);
    await assert.rejects(withDeadline(Promise.reject(new Error('refused')), 50), /refused/);
  });

  it('rejects with a DeadlineError naming the time when the work does not settle', async () => {
    const never = new Promise<never>(() => undefined);
    await assert.rejects(withDeadline(never, 20), (err: unknown) => {
      assert.ok(err instanceof DeadlineError);
      assert.equal(err.message, 'no answer within 20 ms');
      return true;
    });
  });
});
