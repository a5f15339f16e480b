import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import { whenCallerGone } from '../src/invoke/caller-gone.js';

/** Enough of a ServerResponse: its close event, and whether it closed and finished. */
class FakeResponse extends EventEmitter {
  closed = false;
  writableFinished = false;
  close(finished: boolean): void {
    this.writableFinished = finished;
    this.closed = true;
    this.emit('close');
  }
}

describe('whenCallerGone', () => {
  it('runs when the caller leaves before its response was written, and only then', () => {
    const left = new FakeResponse();
    const answered = new FakeResponse();
    const seen: string[] = [];
    whenCallerGone(left)(() => seen.push('left'));
    whenCallerGone(answered)(() => seen.push('answered'));
    assert.deepEqual(seen, []);
    left.close(false);
    answered.close(true);
    assert.deepEqual(seen, ['left']);
  });

  it('runs at once for a caller that left before it was registered', () => {
    const res = new FakeResponse();
    res.close(false);
    let ran = 0;
    whenCallerGone(res)(() => ran++);
    assert.equal(ran, 1);
    const answered = new FakeResponse();
    answered.close(true);
    whenCallerGone(answered)(() => ran++);
    assert.equal(ran, 1);
  });
});
