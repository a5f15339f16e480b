import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createMaxMemoryReader } from '../src/containers/cgroup-memory.js';

const ID = 'abcdef0123456789'.repeat(4);

/** A fake cgroup tree with one file; returns the root and a writer for the file. */
function cgroupTree(relativeDir: string, file: string): { root: string; set(v: string): void } {
  const root = mkdtempSync(join(tmpdir(), 'cgroup-'));
  const dir = join(root, relativeDir);
  mkdirSync(dir, { recursive: true });
  const set = (value: string): void => writeFileSync(join(dir, file), value);
  return { root, set };
}

describe('cgroup peak memory reader', () => {
  const layouts: Array<[string, string, string]> = [
    ['cgroup v1, cgroupfs driver', `memory/docker/${ID}`, 'memory.max_usage_in_bytes'],
    [
      'cgroup v1, systemd driver',
      `memory/system.slice/docker-${ID}.scope`,
      'memory.max_usage_in_bytes',
    ],
    ['cgroup v2, cgroupfs driver', `docker/${ID}`, 'memory.peak'],
    ['cgroup v2 without memory.peak', `system.slice/docker-${ID}.scope`, 'memory.current'],
  ];
  for (const [name, dir, file] of layouts) {
    it(`reads the peak from the ${name} layout`, async () => {
      const tree = cgroupTree(dir, file);
      tree.set('52428800\n');
      const reader = createMaxMemoryReader(ID, tree.root);
      assert.equal(await reader.read(), 52_428_800);
      reader.close();
      rmSync(tree.root, { recursive: true, force: true });
    });
  }

  it('re-reads the open file and sees a new peak', async () => {
    const tree = cgroupTree(`memory/docker/${ID}`, 'memory.max_usage_in_bytes');
    tree.set('1000\n');
    const reader = createMaxMemoryReader(ID, tree.root);
    assert.equal(await reader.read(), 1000);
    tree.set('123456789\n');
    assert.equal(await reader.read(), 123_456_789);
    reader.close();
    assert.equal(await reader.read(), 123_456_789, 'a closed reader finds the file again');
    reader.close();
    rmSync(tree.root, { recursive: true, force: true });
  });

  it('answers undefined for a missing cgroup, an empty value or an unsafe container id', async () => {
    const tree = cgroupTree(`memory/docker/${ID}`, 'memory.max_usage_in_bytes');
    assert.equal(await createMaxMemoryReader(ID, tree.root).read(), undefined);
    tree.set('0\n');
    assert.equal(await createMaxMemoryReader(ID, tree.root).read(), undefined);
    tree.set('4096\n');
    assert.equal(await createMaxMemoryReader('../../etc', tree.root).read(), undefined);
    rmSync(tree.root, { recursive: true, force: true });
  });
});
