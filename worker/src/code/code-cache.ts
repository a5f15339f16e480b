/**
 * @module
 * Zip code on local disk, extracted once per content address into `<root>/<hex sha256>` and
 * bind-mounted read-only into every environment of every function using those bytes. A
 * directory only appears under its final name once complete (extract to a temp name, then
 * rename), so a crash mid-extraction never leaves half a function behind; workers sharing the
 * directory on one host race harmlessly on the rename.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { extractZip, ZipRejectedError } from './zip-extract.js';

export interface CodeSource {
  getCode(hexSha: string): Promise<Buffer | undefined>;
}

export interface CodeCache {
  /** The host directory holding this code, extracting it first if needed. */
  ensure(codeKey: string): Promise<string>;
}

export interface CodeCacheOptions {
  root: string;
  source: CodeSource;
  maxUnzippedBytes: number;
}

/** Lambda's unzipped deployment package quota. */
export const MAX_UNZIPPED_BYTES = 250 * 1024 * 1024;

export class CodeMissingError extends Error {
  readonly code = 'LDK_ERR_CODE_MISSING';
}

async function isDirectory(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isDirectory();
  } catch {
    return false;
  }
}

export function createCodeCache(options: CodeCacheOptions): CodeCache {
  const inFlight = new Map<string, Promise<string>>();

  const extract = async (codeKey: string, dir: string): Promise<string> => {
    const bytes = await options.source.getCode(codeKey);
    if (bytes === undefined) throw new CodeMissingError(`code ${codeKey} is not stored`);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== codeKey) throw new ZipRejectedError(`code ${codeKey} hashes to ${actual}`);
    await mkdir(options.root, { recursive: true, mode: 0o755 });
    const temp = join(options.root, `.tmp-${codeKey}-${randomBytes(4).toString('hex')}`);
    try {
      await extractZip(bytes, temp, options.maxUnzippedBytes);
      await rename(temp, dir);
    } catch (err) {
      await rm(temp, { recursive: true, force: true });
      const code = (err as NodeJS.ErrnoException).code;
      // Another worker on this host finished first: its copy is identical by construction.
      if ((code === 'ENOTEMPTY' || code === 'EEXIST') && (await isDirectory(dir))) return dir;
      throw err;
    }
    return dir;
  };

  return {
    async ensure(codeKey) {
      if (!/^[0-9a-f]{64}$/.test(codeKey)) throw new ZipRejectedError(`bad code key: ${codeKey}`);
      const dir = join(options.root, codeKey);
      if (await isDirectory(dir)) return dir;
      let pending = inFlight.get(codeKey);
      if (!pending) {
        pending = extract(codeKey, dir).finally(() => inFlight.delete(codeKey));
        inFlight.set(codeKey, pending);
      }
      return pending;
    },
  };
}
