/**
 * @module
 * Zip code on local disk, extracted once per content address into `<root>/<hex sha256>` and
 * bind-mounted read-only into every environment of every function using those bytes. A
 * directory only appears under its final name once complete (extract to a temp name, then
 * rename), so a crash mid-extraction never leaves half a function behind; workers sharing the
 * directory on one host race harmlessly on the rename. A function's layers are extracted the
 * same way, one directory per layer, and merged in order into one directory per list of
 * layers, mounted at /opt.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { mergeLayers } from './layer-merge.js';
import { extractZip, ZipRejectedError } from './zip-extract.js';

export interface CodeSource {
  getCode(hexSha: string): Promise<Buffer | undefined>;
}

export interface CodeCache {
  /** The host directory holding this code, extracting it first if needed. */
  ensure(codeKey: string): Promise<string>;
  /**
   * The host directory holding these layers merged in order (layer-merge.ts), built first if
   * needed: one layer's own directory, or `<root>/layers-<hex sha256 of the list>`.
   */
  ensureLayers(codeKeys: readonly string[]): Promise<string>;
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

  /** The zip of `codeKey`, checked against its address, extracted into `temp`. */
  const extract = async (codeKey: string, temp: string): Promise<void> => {
    const bytes = await options.source.getCode(codeKey);
    if (bytes === undefined) throw new CodeMissingError(`code ${codeKey} is not stored`);
    const actual = createHash('sha256').update(bytes).digest('hex');
    if (actual !== codeKey) throw new ZipRejectedError(`code ${codeKey} hashes to ${actual}`);
    await extractZip(bytes, temp, options.maxUnzippedBytes);
  };

  /** Build `dir` under a temp name, then rename it into place. */
  const renameInto = async (dir: string, build: (temp: string) => Promise<void>) => {
    await mkdir(options.root, { recursive: true, mode: 0o755 });
    const temp = join(options.root, `.tmp-${randomBytes(8).toString('hex')}`);
    try {
      await build(temp);
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

  /** Build `dir` once (temp name, then rename), sharing a build already under way. */
  const once = async (
    key: string,
    dir: string,
    build: (temp: string) => Promise<void>,
  ): Promise<string> => {
    if (await isDirectory(dir)) return dir;
    let pending = inFlight.get(key);
    if (!pending) {
      pending = renameInto(dir, build).finally(() => inFlight.delete(key));
      inFlight.set(key, pending);
    }
    return pending;
  };

  const ensure = (codeKey: string): Promise<string> => {
    if (!/^[0-9a-f]{64}$/.test(codeKey))
      return Promise.reject(new ZipRejectedError(`bad code key: ${codeKey}`));
    return once(codeKey, join(options.root, codeKey), (temp) => extract(codeKey, temp));
  };

  return {
    ensure,
    async ensureLayers(codeKeys) {
      const dirs = await Promise.all(codeKeys.map(ensure));
      if (dirs.length === 1 && dirs[0] !== undefined) return dirs[0];
      const listKey = createHash('sha256').update(codeKeys.join(',')).digest('hex');
      return once(`layers-${listKey}`, join(options.root, `layers-${listKey}`), (temp) =>
        mergeLayers(dirs, temp, options.maxUnzippedBytes),
      );
    },
  };
}
