/**
 * @module
 * Zip a fixture folder the way `zip -r` would, keeping unix modes (a `bootstrap` must stay
 * executable).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import yazl from 'yazl';

export const FIXTURES_DIR = fileURLToPath(new URL('../../fixtures/functions/', import.meta.url));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

export async function zipDirectory(dir: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const file of walk(dir)) {
    zip.addBuffer(readFileSync(file), relative(dir, file), { mode: statSync(file).mode });
  }
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function zipFixture(name: string): Promise<Buffer> {
  return zipDirectory(join(FIXTURES_DIR, name));
}

/** A zip holding one file, for tests that need code without a fixture folder. */
export async function zipSource(files: Record<string, string>): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const [name, text] of Object.entries(files))
    zip.addBuffer(Buffer.from(text), name, { mode: 0o100644 });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
