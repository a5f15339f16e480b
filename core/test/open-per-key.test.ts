import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openPerKey } from '../src/queue/open-per-key.js';

function tracked(max: number) {
  const opened: string[] = [];
  const closed: string[] = [];
  const pool = openPerKey<{ key: string }>({
    open: (key) => {
      opened.push(key);
      return { key };
    },
    close: async (value) => {
      closed.push(value.key);
      if (value.key === 'bad') throw new Error('close failed');
    },
    max,
  });
  return { pool, opened, closed };
}

describe('openPerKey', () => {
  it('opens once per key and hands back the same resource', () => {
    const t = tracked(4);
    const a = t.pool.get('a');
    assert.equal(t.pool.get('a'), a);
    assert.deepEqual(t.opened, ['a']);
  });

  it('closes the least recently used one beyond the limit', () => {
    const t = tracked(2);
    t.pool.get('a');
    t.pool.get('b');
    t.pool.get('a'); // a is now the most recently used
    t.pool.get('c');
    assert.deepEqual(t.closed, ['b']);
    t.pool.get('b');
    assert.deepEqual(t.opened, ['a', 'b', 'c', 'b']);
  });

  it('closes everything on close, a failing close included', async () => {
    const t = tracked(4);
    t.pool.get('bad');
    t.pool.get('x');
    await t.pool.close();
    assert.deepEqual(t.closed.sort(), ['bad', 'x']);
    t.pool.get('x');
    assert.deepEqual(t.opened, ['bad', 'x', 'x'], 'reopened after close');
  });
});
