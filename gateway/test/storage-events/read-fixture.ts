/**
 * @module
 * Read a recorded webhook body from `gateway/test/fixtures/s3-events/`. The path is relative to
 * the compiled file (`gateway/dist/test/storage-events/`), three levels below the package root.
 */
import { readFileSync } from 'node:fs';

export const FIXTURE_DIR = new URL('../../../test/fixtures/s3-events/', import.meta.url);

export function readFixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(name, FIXTURE_DIR), 'utf8')) as unknown;
}

/** The first record of a fixture body, for tests that build variants of it. */
export function fixtureRecord(name: string): Record<string, unknown> {
  const body = readFixture(name) as { Records: Record<string, unknown>[] };
  const record = body.Records[0];
  if (record === undefined) throw new Error(`${name} has no records`);
  return record;
}
