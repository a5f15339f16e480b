/**
 * @module
 * A function's layers as one tree for /opt: each layer's extracted directory copied in order,
 * a later layer's file replacing an earlier one's at the same path, as Lambda extracts them.
 * The copy never follows a link it made: a path an earlier layer had as a link (or a file) and
 * a later one needs as a directory is replaced, so nothing is written outside the tree. Links
 * are copied as they are; each layer's extraction already refused links that leave its tree.
 */
import { chmod, copyFile, lstat, mkdir, readdir, readlink, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { ZipRejectedError } from './zip-extract.js';

interface MergeState {
  bytes: number;
  readonly maxBytes: number;
}

async function kindAt(path: string): Promise<'dir' | 'other' | 'none'> {
  try {
    return (await lstat(path)).isDirectory() ? 'dir' : 'other';
  } catch {
    return 'none';
  }
}

async function mergeDir(from: string, into: string, state: MergeState): Promise<void> {
  const kind = await kindAt(into);
  if (kind === 'other') await rm(into, { force: true });
  if (kind !== 'dir') {
    await mkdir(into, { mode: 0o755 });
    await chmod(into, 0o755);
  }
  for (const entry of await readdir(from, { withFileTypes: true })) {
    const source = join(from, entry.name);
    const target = join(into, entry.name);
    if (entry.isDirectory()) {
      await mergeDir(source, target, state);
      continue;
    }
    // Whatever an earlier layer had here goes: a file, a link, or a whole directory.
    await rm(target, { recursive: true, force: true });
    if (entry.isSymbolicLink()) {
      await symlink(await readlink(source), target);
      continue;
    }
    if (!entry.isFile()) continue;
    const { size, mode } = await lstat(source);
    state.bytes += size;
    if (state.bytes > state.maxBytes)
      throw new ZipRejectedError(`the layers' unzipped size exceeds ${state.maxBytes} bytes`);
    await copyFile(source, target);
    await chmod(target, mode & 0o777);
  }
}

/** Copy the layer trees `layers`, in order, into the new directory `dest`. */
export async function mergeLayers(
  layers: readonly string[],
  dest: string,
  maxBytes: number,
): Promise<void> {
  const state: MergeState = { bytes: 0, maxBytes };
  for (const layer of layers) await mergeDir(layer, dest, state);
}
