/**
 * @module
 * Turn the qualifier an invocation names into the record that runs. `$LATEST` (or none) is the
 * function's own record, a number is that published version, anything else is an alias, which
 * points at one of those (a weighted alias picks its additional version with `random`). The
 * look-ups are passed in, so the Redis registry and in-memory stand-ins resolve alike.
 */
import { pickAliasVersion, type AliasRecord } from '../model/alias-record.js';
import type { FunctionRecord } from '../model/function-record.js';

export interface Resolved {
  record: FunctionRecord;
  /** `$LATEST` or a version number: what X-Amz-Executed-Version reports. */
  executedVersion: string;
}

/** Where published versions and aliases are read from (VersionRegistry is one). */
export interface QualifierLookups {
  getVersion(name: string, version: string): Promise<FunctionRecord | undefined>;
  getAlias(name: string, alias: string): Promise<AliasRecord | undefined>;
}

const VERSION_NUMBER = /^\d+$/;

/** True for a published version's qualifier (`1`, `2`, ...), false for `$LATEST` and aliases. */
export function isVersionNumber(qualifier: string): boolean {
  return VERSION_NUMBER.test(qualifier);
}

/** The record `qualifier` runs, or undefined when it names nothing. */
export async function resolveQualifier(
  lookups: QualifierLookups,
  latest: () => Promise<FunctionRecord | undefined>,
  name: string,
  qualifier: string | undefined,
  random: () => number = Math.random,
): Promise<Resolved | undefined> {
  if (qualifier === undefined || qualifier === '$LATEST') {
    const record = await latest();
    return record === undefined ? undefined : { record, executedVersion: '$LATEST' };
  }
  if (isVersionNumber(qualifier)) {
    const record = await lookups.getVersion(name, qualifier);
    return record === undefined ? undefined : { record, executedVersion: qualifier };
  }
  const alias = await lookups.getAlias(name, qualifier);
  if (alias === undefined) return undefined;
  const picked = pickAliasVersion(alias, random);
  // An alias points at `$LATEST` or a version, never at another alias.
  if (picked !== '$LATEST' && !isVersionNumber(picked)) return undefined;
  return resolveQualifier(lookups, latest, name, picked, random);
}
