import assert from 'node:assert/strict';
import { lstat, mkdtemp, readFile, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
  extractZip,
  fileModeFor,
  safeEntryPath,
  ZipRejectedError,
} from '../src/code/zip-extract.js';
import { makeZip, renameInZip } from './helpers/zip.js';

const MB = 1024 * 1024;
const dirs: string[] = [];
async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'ldk-zip-'));
  dirs.push(dir);
  return join(dir, 'code');
}
after(async () => {
  for (const d of dirs) await rm(d, { recursive: true, force: true });
});

describe('zip extraction', () => {
  it('extracts files and folders, keeps bootstrap executable, makes all readable', async () => {
    const zip = await makeZip([
      { name: 'bootstrap', data: '#!/bin/sh\n', mode: 0o100700 },
      { name: 'lib/', dir: true, mode: 0o40700 },
      { name: 'lib/a.js', data: 'x', mode: 0o100600 },
      { name: 'setuid', data: 'x', mode: 0o104755 },
    ]);
    const dest = await tempDir();
    const result = await extractZip(zip, dest, MB);
    assert.equal(result.files, 3);
    assert.equal((await stat(join(dest, 'bootstrap'))).mode & 0o7777, 0o755);
    assert.equal((await stat(join(dest, 'lib/a.js'))).mode & 0o7777, 0o644);
    assert.equal((await stat(join(dest, 'lib'))).mode & 0o7777, 0o755);
    assert.equal((await stat(join(dest, 'setuid'))).mode & 0o7777, 0o755, 'setuid dropped');
    assert.equal(await readFile(join(dest, 'lib/a.js'), 'utf8'), 'x');
  });

  it('rejects a ../ entry (zip slip) before writing outside', async () => {
    const zip = renameInZip(
      await makeZip([{ name: 'zz/evil.txt', data: 'x' }]),
      'zz/evil.txt',
      '../evil.txt',
    );
    const dest = await tempDir();
    await assert.rejects(extractZip(zip, dest, MB), ZipRejectedError);
    await assert.rejects(stat(join(dest, '..', 'evil.txt')));
  });

  it('rejects absolute entry names', async () => {
    const zip = renameInZip(
      await makeZip([{ name: 'xetc/passwd', data: 'x' }]),
      'xetc/passwd',
      '/etc/passwd',
    );
    await assert.rejects(extractZip(zip, await tempDir(), MB), ZipRejectedError);
  });

  it('rejects more unzipped bytes than the cap', async () => {
    const zip = await makeZip([{ name: 'big.bin', data: Buffer.alloc(2 * MB) }]);
    await assert.rejects(extractZip(zip, await tempDir(), MB), /exceeds/);
  });

  it('creates symlinks inside the code and refuses ones pointing outside', async () => {
    const inside = await makeZip([
      { name: 'lib/real.js', data: 'x' },
      { name: 'link.js', data: 'lib/real.js', mode: 0o120777 },
    ]);
    const dest = await tempDir();
    await extractZip(inside, dest, MB);
    assert.ok((await lstat(join(dest, 'link.js'))).isSymbolicLink());
    assert.equal(await readlink(join(dest, 'link.js')), 'lib/real.js');
    for (const target of ['/etc/passwd', '../../outside']) {
      const outside = await makeZip([{ name: 'link', data: target, mode: 0o120777 }]);
      await assert.rejects(extractZip(outside, await tempDir(), MB), /points outside/);
    }
  });

  it('rejects bytes that are not a zip', async () => {
    await assert.rejects(
      extractZip(Buffer.from('not a zip'), await tempDir(), MB),
      ZipRejectedError,
    );
  });

  it('validates entry names and modes as a table', () => {
    assert.equal(safeEntryPath('a/./b.js'), 'a/b.js');
    assert.equal(safeEntryPath('dir/'), 'dir');
    assert.throws(() => safeEntryPath('a/../../b'), ZipRejectedError);
    assert.throws(() => safeEntryPath('C:/win'), ZipRejectedError);
    assert.throws(() => safeEntryPath('a\\..\\b'), ZipRejectedError);
    assert.equal(fileModeFor(undefined), 0o644);
    assert.equal(fileModeFor(0o100744), 0o755);
  });
});
