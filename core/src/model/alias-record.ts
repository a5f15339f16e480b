/**
 * @module
 * An alias: a name that points at a published version (or `$LATEST`), optionally sending a
 * share of invocations to one more published version (AWS's weighted alias).
 */

export interface AliasRecord {
  name: string;
  functionName: string;
  /** A version number or `$LATEST`. */
  functionVersion: string;
  description: string;
  /** Version → share of invocations (0.0 to 1.0) that go there instead. */
  additionalVersionWeights?: Record<string, number>;
  revisionId: string;
}

/** Pick the version an invocation through `alias` runs: `random()` in [0, 1). */
export function pickAliasVersion(alias: AliasRecord, random: () => number): string {
  const extra = Object.entries(alias.additionalVersionWeights ?? {});
  let roll = random();
  for (const [version, weight] of extra) {
    if (roll < weight) return version;
    roll -= weight;
  }
  return alias.functionVersion;
}
