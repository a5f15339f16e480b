import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogCapture } from '../src/invoke/log-capture.js';

const options = { limitBytes: 64, settleMs: 5, settleMaxMs: 50 };

describe('log capture', () => {
  it('keeps output before the event as pre-output and the rest as the invocation', async () => {
    const capture = createLogCapture(options);
    capture.write(Buffer.from('init\n'));
    capture.begin();
    capture.write(Buffer.from('during\n'));
    const out = await capture.finish();
    assert.equal(out.preOutput.toString(), 'init\n');
    assert.equal(out.output.toString(), 'during\n');
    assert.equal(out.truncated, false);
  });

  it('waits for late output until the stream is quiet', async () => {
    const capture = createLogCapture(options);
    capture.begin();
    const done = capture.finish();
    setTimeout(() => capture.write(Buffer.from('late\n')), 2);
    assert.equal((await done).output.toString(), 'late\n');
  });

  it('caps output, marks it truncated and drops the backlog that follows', async () => {
    const capture = createLogCapture(options);
    capture.begin();
    for (let i = 0; i < 10; i++) capture.write(Buffer.from('0123456789'));
    const first = await capture.finish();
    assert.equal(first.output.length, 64);
    assert.equal(first.truncated, true);
    capture.write(Buffer.from('backlog of the previous invocation'));
    capture.begin();
    capture.write(Buffer.from('mine\n'));
    const second = await capture.finish();
    assert.equal(second.preOutput.length, 0);
    assert.equal(second.output.toString(), 'mine\n');
  });

  it('closes a settling segment when the next invocation begins', async () => {
    const capture = createLogCapture({ ...options, settleMs: 1000, settleMaxMs: 5000 });
    capture.begin();
    capture.write(Buffer.from('one\n'));
    const first = capture.finish();
    capture.begin();
    assert.equal((await first).output.toString(), 'one\n');
  });

  it('holds memory flat under an endless printer', () => {
    const capture = createLogCapture(options);
    capture.begin();
    const chunk = Buffer.alloc(1024, 'y');
    for (let i = 0; i < 10_000; i++) capture.write(chunk);
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 10_000; i++) capture.write(chunk);
    assert.ok(process.memoryUsage().heapUsed - before < 5 * 1024 * 1024);
  });
});
