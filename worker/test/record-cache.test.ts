import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FunctionRecord } from '@lambdock/core';
import { createRecordCache } from '../src/jobs/record-cache.js';
import { record } from './helpers/records.js';

function source(initial: FunctionRecord | undefined) {
  const state = { current: initial, reads: 0 };
  return {
    state,
    get: async () => {
      state.reads += 1;
      return state.current;
    },
  };
}

describe('record cache', () => {
  it('reuses an Active record of the generation asked for', async () => {
    const src = source(record({ generation: 7, state: 'Active' }));
    const cache = createRecordCache(src);
    assert.equal((await cache.get('demo', 7))?.generation, 7);
    assert.equal((await cache.get('demo', 7))?.generation, 7);
    assert.equal(src.state.reads, 1);
  });

  it('reads again for another generation, or when none is named', async () => {
    const src = source(record({ generation: 7, state: 'Active' }));
    const cache = createRecordCache(src);
    await cache.get('demo', 7);
    src.state.current = record({ generation: 8, state: 'Active' });
    assert.equal((await cache.get('demo', 8))?.generation, 8);
    await cache.get('demo', undefined);
    assert.equal(src.state.reads, 3);
  });

  it('never keeps a record that is not Active, nor a deleted one', async () => {
    const src = source(record({ generation: 7, state: 'Pending' }));
    const cache = createRecordCache(src);
    assert.equal((await cache.get('demo', 7))?.state, 'Pending');
    await cache.get('demo', 7);
    src.state.current = undefined;
    assert.equal(await cache.get('demo', 7), undefined);
    assert.equal(src.state.reads, 3);
  });

  it('starts over when full', async () => {
    const src = source(record({ generation: 1, state: 'Active' }));
    const cache = createRecordCache(src, 1);
    await cache.get('a', 1);
    await cache.get('b', 1);
    await cache.get('b', 1);
    await cache.get('a', 1);
    assert.equal(src.state.reads, 3);
  });
});
