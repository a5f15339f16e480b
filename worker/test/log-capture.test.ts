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

  it('closes as soon as the bytes the runtime wrote have arrived, without waiting to settle', async () => {
    const capture = createLogCapture({ ...options, settleMs: 10_000, settleMaxMs: 10_000 });
    capture.begin();
    capture.write(Buffer.from('all 8 b\n'));
    const started = Date.now();
    assert.equal((await capture.finish(8)).output.toString(), 'all 8 b\n');
    assert.ok(Date.now() - started < 1000, 'did not wait for the stream to settle');
    capture.begin();
    const nothing = await capture.finish(0);
    assert.equal(nothing.output.length, 0);
  });

  it('waits past a quiet stream for output the runtime said it wrote', async () => {
    const capture = createLogCapture({ ...options, fenceMaxMs: 10_000 });
    capture.begin();
    capture.write(Buffer.from('first\n'));
    const done = capture.finish(12);
    let closed = false;
    void done.then(() => (closed = true));
    // Ten times the quiet period: a settle-only segment would have closed without the rest.
    await new Promise((resolve) => setTimeout(resolve, options.settleMs * 10));
    assert.equal(closed, false);
    capture.write(Buffer.from('later\n'));
    assert.equal((await done).output.toString(), 'first\nlater\n');
  });

  it('gives up on missing output after the longest wait, and counts dropped bytes', async () => {
    const capture = createLogCapture({ ...options, fenceMaxMs: 30 });
    capture.begin();
    capture.write(Buffer.from('part\n'));
    assert.equal((await capture.finish(100)).output.toString(), 'part\n');
    capture.begin();
    for (let i = 0; i < 10; i++) capture.write(Buffer.from('0123456789'));
    const full = await capture.finish(100);
    assert.equal(full.output.length, 64);
    assert.equal(full.truncated, true);
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
