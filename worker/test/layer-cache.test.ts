/**
 * A function's layers on disk: each layer extracted once, the list merged in order into one
 * directory for /opt (a later layer's file wins), one layer mounted as it is, a link an earlier
 * layer left never written through, and the unzipped cap applied to the whole list.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { lstat, mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createCodeCache } from '../src/code/code-cache.js';
import { ZipRejectedError } from '../src/code/zip-extract.js';
import { makeZip, type ZipEntry } from './helpers/zip.js';

const roots: string[] = [];
after(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

async function cacheOf(layers: ZipEntry[][], maxUnzippedBytes = 1024 * 1024) {
  const root = await mkdtemp(join(tmpdir(), 'ldk-layers-'));
  roots.push(root);
  const stored = new Map<string, Buffer>();
  const keys: string[] = [];
  for (const entries of layers) {
    const zip = await makeZip(entries);
    const key = createHash('sha256').update(zip).digest('hex');
    stored.set(key, zip);
    keys.push(key);
  }
  const fetched: string[] = [];
  const cache = createCodeCache({
    root,
    maxUnzippedBytes,
    source: {
      getCode: async (key) => {
        fetched.push(key);
        return stored.get(key);
      },
    },
  });
  return { cache, keys, root, fetched };
}

const FIRST: ZipEntry[] = [
  { name: 'python/a.py', data: 'A = 1\n' },
  { name: 'python/shared.py', data: 'WHO = "first"\n' },
  { name: 'bin/tool', data: '#!/bin/sh\necho tool\n', mode: 0o100755 },
];
const SECOND: ZipEntry[] = [
  { name: 'python/shared.py', data: 'WHO = "second"\n' },
  { name: 'python/b.py', data: 'B = 2\n' },
];

describe('layers on disk', () => {
  it('merges layers in order into one directory per list, the later file winning', async () => {
    const { cache, keys, root } = await cacheOf([FIRST, SECOND]);
    const [first = '', second = ''] = keys;
    const merged = await cache.ensureLayers([first, second]);
    const listKey = createHash('sha256').update(`${first},${second}`).digest('hex');
    assert.equal(merged, join(root, `layers-${listKey}`));
    assert.equal(await readFile(join(merged, 'python/shared.py'), 'utf8'), 'WHO = "second"\n');
    assert.equal(await readFile(join(merged, 'python/a.py'), 'utf8'), 'A = 1\n');
    assert.equal(await readFile(join(merged, 'python/b.py'), 'utf8'), 'B = 2\n');
    assert.equal((await stat(join(merged, 'bin/tool'))).mode & 0o777, 0o755);
    assert.equal((await stat(join(merged, 'python/a.py'))).mode & 0o777, 0o644);
    const reversed = await cache.ensureLayers([second, first]);
    assert.notEqual(reversed, merged);
    assert.equal(await readFile(join(reversed, 'python/shared.py'), 'utf8'), 'WHO = "first"\n');
    assert.equal(await cache.ensureLayers([first, second]), merged);
  });

  it('replaces a directory an earlier layer had where a later one has a file, and leaves directories world-readable', async () => {
    const { cache, keys } = await cacheOf([
      [{ name: 'python/pkg/__init__.py', data: 'OLD = 1\n' }],
      [{ name: 'python/pkg', data: 'now a file\n' }],
    ]);
    const merged = await cache.ensureLayers(keys);
    assert.equal(await readFile(join(merged, 'python/pkg'), 'utf8'), 'now a file\n');
    for (const dir of ['', 'python']) {
      assert.equal((await stat(join(merged, dir))).mode & 0o777, 0o755, `${dir || '/'} mode`);
    }
  });

  it('builds a list once for concurrent callers, leaving no temporary directory', async () => {
    const { cache, keys, root, fetched } = await cacheOf([FIRST, SECOND]);
    const [a, b, c] = await Promise.all([
      cache.ensureLayers(keys),
      cache.ensureLayers(keys),
      cache.ensureLayers(keys),
    ]);
    assert.equal(a, b);
    assert.equal(b, c);
    assert.deepEqual(fetched.sort(), [...keys].sort(), 'each layer fetched and extracted once');
    assert.deepEqual(
      (await readdir(root)).filter((n) => n.startsWith('.tmp')),
      [],
    );
  });

  it("mounts a single layer's own directory", async () => {
    const { cache, keys, root } = await cacheOf([FIRST]);
    const [key = ''] = keys;
    assert.equal(await cache.ensureLayers([key]), join(root, key));
    assert.equal(await cache.ensure(key), join(root, key));
  });

  it('replaces a link an earlier layer left where a later one has a directory, writing nothing through it', async () => {
    const { cache, keys } = await cacheOf([
      [
        { name: 'data/keep.txt', data: 'kept\n' },
        { name: 'python/lib', data: '../data', mode: 0o120777 },
      ],
      [{ name: 'python/lib/x.py', data: 'X = 1\n' }],
    ]);
    const merged = await cache.ensureLayers(keys);
    assert.ok((await lstat(join(merged, 'python/lib'))).isDirectory());
    assert.equal(await readFile(join(merged, 'python/lib/x.py'), 'utf8'), 'X = 1\n');
    await assert.rejects(stat(join(merged, 'data/x.py')), { code: 'ENOENT' });
  });

  it('keeps a link as a link when no later layer replaces it', async () => {
    const { cache, keys } = await cacheOf([
      [
        { name: 'data/keep.txt', data: 'kept\n' },
        { name: 'python/lib', data: '../data', mode: 0o120777 },
      ],
      [{ name: 'python/other.py', data: 'O = 1\n' }],
    ]);
    const merged = await cache.ensureLayers(keys);
    assert.ok((await lstat(join(merged, 'python/lib'))).isSymbolicLink());
    assert.equal(await readFile(join(merged, 'python/lib/keep.txt'), 'utf8'), 'kept\n');
  });

  it('refuses layers whose files together exceed the unzipped cap', async () => {
    const big = 'x'.repeat(600);
    const { cache, keys } = await cacheOf(
      [[{ name: 'one.bin', data: big }], [{ name: 'two.bin', data: big }]],
      1000,
    );
    await assert.rejects(cache.ensureLayers(keys), ZipRejectedError);
  });
});
