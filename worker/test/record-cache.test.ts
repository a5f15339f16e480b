import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { FunctionRecord } from '@lambdock/core';
import { createRecordCache } from '../src/jobs/record-cache.js';
import { record } from './helpers/records.js';

function source(initial: FunctionRecord | undefined) {
  const state = { current: initial, reads: 0, versionReads: [] as string[] };
  const versions = new Map<string, FunctionRecord>();
  return {
    state,
    versions,
    get: async () => {
      state.reads += 1;
      return state.current;
    },
    getVersion: async (name: string, version: string) => {
      state.versionReads.push(`${name}:${version}`);
      return versions.get(`${name}:${version}`);
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

  it('keeps published versions apart from $LATEST and from each other, by generation', async () => {
    const src = source(record({ generation: 9, state: 'Active' }));
    src.versions.set('demo:1', record({ generation: 5, state: 'Active', version: '1' }));
    src.versions.set('demo:2', record({ generation: 7, state: 'Active', version: '2' }));
    const cache = createRecordCache(src);
    assert.equal((await cache.getVersion('demo', '1', 5))?.version, '1');
    assert.equal((await cache.getVersion('demo', '2', 7))?.version, '2');
    assert.equal((await cache.get('demo', 9))?.version, undefined);
    assert.equal((await cache.getVersion('demo', '1', 5))?.version, '1');
    assert.equal((await cache.getVersion('demo', '2', 7))?.version, '2');
    assert.deepEqual([src.state.versionReads, src.state.reads], [['demo:1', 'demo:2'], 1]);
  });

  it('reads a version again when the generation differs (deleted and created again)', async () => {
    const src = source(undefined);
    src.versions.set('demo:1', record({ generation: 5, state: 'Active', version: '1' }));
    const cache = createRecordCache(src);
    await cache.getVersion('demo', '1', 5);
    src.versions.set('demo:1', record({ generation: 50, state: 'Active', version: '1' }));
    assert.equal((await cache.getVersion('demo', '1', 50))?.generation, 50);
    src.versions.delete('demo:1');
    assert.equal(await cache.getVersion('demo', '1', 51), undefined);
    assert.deepEqual(src.state.versionReads, ['demo:1', 'demo:1', 'demo:1']);
  });
});
