import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { CodeMissingError, createCodeCache } from '../src/code/code-cache.js';
import { ZipRejectedError } from '../src/code/zip-extract.js';
import { makeZip } from './helpers/zip.js';

const roots: string[] = [];
after(async () => {
  for (const r of roots) await rm(r, { recursive: true, force: true });
});

describe('code cache', () => {
  it('extracts each code hash once, even for concurrent callers', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ldk-code-'));
    roots.push(root);
    const zip = await makeZip([{ name: 'index.mjs', data: 'export const handler = 1;' }]);
    const key = createHash('sha256').update(zip).digest('hex');
    let fetches = 0;
    const cache = createCodeCache({
      root,
      maxUnzippedBytes: 1024 * 1024,
      source: { getCode: async () => (fetches++, zip) },
    });
    const [a, b] = await Promise.all([cache.ensure(key), cache.ensure(key)]);
    assert.equal(a, join(root, key));
    assert.equal(b, a);
    assert.equal(await cache.ensure(key), a);
    assert.equal(fetches, 1);
    assert.equal(await readFile(join(a, 'index.mjs'), 'utf8'), 'export const handler = 1;');
    assert.deepEqual(
      (await readdir(root)).filter((n) => n.startsWith('.tmp')),
      [],
    );
  });

  it('refuses missing code, bytes that do not match their hash, and bad keys', async () => {
    const root = await mkdtemp(join(tmpdir(), 'ldk-code-'));
    roots.push(root);
    const key = 'b'.repeat(64);
    const missing = createCodeCache({
      root,
      maxUnzippedBytes: 1024,
      source: { getCode: async () => undefined },
    });
    await assert.rejects(missing.ensure(key), CodeMissingError);
    const wrong = createCodeCache({
      root,
      maxUnzippedBytes: 1024,
      source: { getCode: async () => Buffer.from('x') },
    });
    await assert.rejects(wrong.ensure(key), ZipRejectedError);
    await assert.rejects(wrong.ensure('../../etc'), ZipRejectedError);
  });
});
