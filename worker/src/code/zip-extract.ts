/**
 * @module
 * Safe extraction of a function's zip. Refused: absolute names, `..` segments, names that
 * leave the target after normalising, symlinks pointing outside it, and more unzipped bytes
 * than the cap (counted on the bytes actually inflated, not only the declared sizes). Kept:
 * unix execute bits (so `bootstrap` stays executable); every file is made world-readable and
 * every directory world-traversable, since functions run as an unprivileged uid.
 * Symlinks are created last, after every regular file is written: no write can ever pass
 * through a link from the archive.
 */
import { createWriteStream } from 'node:fs';
import { chmod, mkdir, symlink } from 'node:fs/promises';
import { dirname, posix, relative, resolve, sep } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';

export class ZipRejectedError extends Error {
  readonly code = 'LDK_ERR_ZIP_REJECTED';
}

export interface ExtractResult {
  files: number;
  bytes: number;
}

const S_IFMT = 0o170000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;
const UNIX_HOST = 3;

/** The path inside the archive, or a refusal. Exported for tests. */
export function safeEntryPath(fileName: string): string {
  if (fileName.includes('\0')) throw new ZipRejectedError(`entry name contains NUL: ${fileName}`);
  const name = fileName.replace(/\\/g, '/');
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) {
    throw new ZipRejectedError(`absolute path in zip: ${fileName}`);
  }
  if (name.split('/').includes('..')) throw new ZipRejectedError(`'..' in zip path: ${fileName}`);
  return posix.normalize(name).replace(/\/+$/, '');
}

function unixMode(entry: Entry): number | undefined {
  return entry.versionMadeBy >> 8 === UNIX_HOST
    ? (entry.externalFileAttributes >>> 16) & 0xffff
    : undefined;
}

/** Any execute bit becomes all execute bits; setuid, setgid and sticky are dropped. */
export function fileModeFor(mode: number | undefined): number {
  return mode !== undefined && (mode & 0o111) !== 0 ? 0o755 : 0o644;
}

function inside(root: string, target: string): boolean {
  return target === root || target.startsWith(root + sep);
}

interface Extraction {
  root: string;
  maxBytes: number;
  bytes: number;
  files: number;
  dirs: Set<string>;
  links: Array<{ path: string; target: string }>;
}

async function ensureDir(state: Extraction, dir: string): Promise<void> {
  if (state.dirs.has(dir) || !inside(state.root, dir)) return;
  if (dir !== state.root) await ensureDir(state, dirname(dir));
  await mkdir(dir, { recursive: true });
  await chmod(dir, 0o755);
  state.dirs.add(dir);
}

function byteCounter(state: Extraction): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      state.bytes += chunk.length;
      if (state.bytes > state.maxBytes) {
        done(new ZipRejectedError(`unzipped size exceeds ${state.maxBytes} bytes`));
        return;
      }
      done(null, chunk);
    },
  });
}

async function readAll(zip: ZipFile, entry: Entry, limit: number): Promise<string> {
  const stream = await zip.openReadStreamPromise(entry);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new ZipRejectedError(`symlink target too long: ${entry.fileName}`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

async function extractEntry(state: Extraction, zip: ZipFile, entry: Entry): Promise<void> {
  const name = safeEntryPath(entry.fileName);
  if (name === '' || name === '.') return;
  const target = resolve(state.root, name);
  if (!inside(state.root, target))
    throw new ZipRejectedError(`zip path escapes: ${entry.fileName}`);
  const mode = unixMode(entry);
  const type = mode === undefined ? 0 : mode & S_IFMT;
  if (entry.fileName.endsWith('/') || type === S_IFDIR) return ensureDir(state, target);
  await ensureDir(state, dirname(target));
  if (type === S_IFLNK) {
    state.links.push({ path: target, target: await readAll(zip, entry, 4096) });
    return;
  }
  if (state.bytes + entry.uncompressedSize > state.maxBytes) {
    throw new ZipRejectedError(`unzipped size exceeds ${state.maxBytes} bytes`);
  }
  const fileMode = fileModeFor(mode);
  const stream = await zip.openReadStreamPromise(entry);
  await pipeline(stream, byteCounter(state), createWriteStream(target, { mode: fileMode }));
  await chmod(target, fileMode);
  state.files += 1;
}

async function createLinks(state: Extraction): Promise<void> {
  for (const link of state.links) {
    const resolved = resolve(dirname(link.path), link.target);
    if (link.target.startsWith('/') || !inside(state.root, resolved)) {
      throw new ZipRejectedError(
        `symlink ${relative(state.root, link.path)} points outside the code: ${link.target}`,
      );
    }
    await symlink(link.target, link.path);
  }
}

/** Extract `zipBytes` into the (new or empty) directory `dest`. */
export async function extractZip(
  zipBytes: Buffer,
  dest: string,
  maxUnzippedBytes: number,
): Promise<ExtractResult> {
  let zip: ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(zipBytes, { lazyEntries: true, validateEntrySizes: true });
  } catch (err) {
    throw new ZipRejectedError(`not a readable zip: ${(err as Error).message}`);
  }
  const root = resolve(dest);
  const state: Extraction = {
    root,
    maxBytes: maxUnzippedBytes,
    bytes: 0,
    files: 0,
    dirs: new Set(),
    links: [],
  };
  await ensureDir(state, root);
  try {
    for await (const entry of entries(zip)) await extractEntry(state, zip, entry);
  } finally {
    zip.close();
  }
  await createLinks(state);
  return { files: state.files, bytes: state.bytes };
}

async function* entries(zip: ZipFile): AsyncGenerator<Entry> {
  for (;;) {
    const entry = await new Promise<Entry | undefined>((resolveEntry, reject) => {
      const onEntry = (e: Entry): void => done(e);
      const onEnd = (): void => done(undefined);
      const onError = (err: Error): void => {
        cleanup();
        reject(new ZipRejectedError(`invalid zip: ${err.message}`));
      };
      const cleanup = (): void => {
        zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      };
      const done = (e: Entry | undefined): void => {
        cleanup();
        resolveEntry(e);
      };
      zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
      zip.readEntry();
    });
    if (entry === undefined) return;
    yield entry;
  }
}
