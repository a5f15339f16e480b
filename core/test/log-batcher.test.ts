import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogBatcher, type LogAppend } from '../src/logs/log-batcher.js';

function recorder(fail = false): {
  writes: LogAppend[][];
  write: (e: readonly LogAppend[]) => Promise<void>;
} {
  const writes: LogAppend[][] = [];
  return {
    writes,
    write: (entries) => {
      writes.push([...entries]);
      return fail ? Promise.reject(new Error('redis down')) : Promise.resolve();
    },
  };
}

const entry = (functionName: string, requestId: string, text: string): LogAppend => ({
  functionName,
  requestId,
  text,
  logStream: `2026/12/07/[$LATEST]${functionName}`,
});

describe('log batcher', () => {
  it('sends appends made within the window as one write, and settles each', async () => {
    const r = recorder();
    const batcher = createLogBatcher({ write: r.write, windowMs: 20, maxBatch: 100 });
    const appends = [
      batcher.append(entry('a', 'r1', 'one')),
      batcher.append(entry('b', 'r2', 'two')),
      batcher.append(entry('a', 'r3', 'three')),
    ];
    assert.equal(r.writes.length, 0, 'nothing is written before the window ends');
    await Promise.all(appends);
    assert.deepEqual(r.writes, [
      [entry('a', 'r1', 'one'), entry('b', 'r2', 'two'), entry('a', 'r3', 'three')],
    ]);
  });

  it('sends a full batch at once and starts a new one', async () => {
    const r = recorder();
    const batcher = createLogBatcher({ write: r.write, windowMs: 60_000, maxBatch: 2 });
    const first = [batcher.append(entry('a', 'r1', '1')), batcher.append(entry('a', 'r2', '2'))];
    await Promise.all(first);
    assert.equal(r.writes.length, 1);
    const third = batcher.append(entry('a', 'r3', '3'));
    assert.equal(r.writes.length, 1, 'a lone append waits for its window');
    await batcher.flush();
    await third;
    assert.deepEqual(
      r.writes.map((w) => w.map((e) => e.requestId)),
      [['r1', 'r2'], ['r3']],
    );
  });

  it('rejects every append of a batch whose write failed, and keeps going', async () => {
    const failing = recorder(true);
    const batcher = createLogBatcher({ write: failing.write, windowMs: 1, maxBatch: 10 });
    const results = await Promise.allSettled([
      batcher.append(entry('a', 'r1', '1')),
      batcher.append(entry('a', 'r2', '2')),
    ]);
    assert.deepEqual(
      results.map((x) => x.status),
      ['rejected', 'rejected'],
    );
    await assert.rejects(batcher.append(entry('a', 'r3', '3')), /redis down/);
    assert.equal(failing.writes.length, 2);
  });

  it('flush with nothing gathered writes nothing', async () => {
    const r = recorder();
    await createLogBatcher({ write: r.write, windowMs: 1, maxBatch: 10 }).flush();
    assert.equal(r.writes.length, 0);
  });
});
