/**
 * @module
 * Zips for extraction tests, made with yazl. yazl refuses unsafe names, so hostile archives
 * are made by renaming an entry in place (same length, in both headers; the CRC covers only
 * the data, so the archive stays valid).
 */
import yazl from 'yazl';

export interface ZipEntry {
  name: string;
  data?: string | Buffer;
  mode?: number;
  dir?: boolean;
}

export function makeZip(entries: readonly ZipEntry[]): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const e of entries) {
    if (e.dir) zip.addEmptyDirectory(e.name, e.mode === undefined ? {} : { mode: e.mode });
    else
      zip.addBuffer(
        Buffer.from(e.data ?? ''),
        e.name,
        e.mode === undefined ? {} : { mode: e.mode },
      );
  }
  zip.end();
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    zip.outputStream.on('data', (c: Buffer) => chunks.push(c));
    zip.outputStream.on('end', () => resolve(Buffer.concat(chunks)));
    zip.outputStream.on('error', reject);
  });
}

/** Replace every occurrence of `from` with `to` (same byte length) in the archive. */
export function renameInZip(zip: Buffer, from: string, to: string): Buffer {
  const a = Buffer.from(from);
  const b = Buffer.from(to);
  if (a.length !== b.length) throw new Error('rename must keep the length');
  const out = Buffer.from(zip);
  let at = out.indexOf(a);
  while (at !== -1) {
    b.copy(out, at);
    at = out.indexOf(a, at + b.length);
  }
  return out;
}
