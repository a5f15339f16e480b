/**
 * @module
 * How a provisioned concurrency count on a weighted alias splits between its versions. Lambda
 * splits an alias's provisioned concurrency in proportion to the routing weights; we round by
 * the largest remainder (so the parts always add up to exactly the requested count), ties to
 * the alias's main version first, then by version number, and give every version with a weight
 * above 0 at least one environment while the count allows (a 10% canary of 5 gets 1, not 0:
 * the traffic it receives would otherwise always start cold).
 */

export interface VersionPart {
  readonly version: string;
  readonly count: number;
}

interface Share {
  readonly version: string;
  readonly weight: number;
  count: number;
  remainder: number;
  rank: number;
}

/** `weights`: the alias's AdditionalVersionWeights (version -> share in [0, 1]). */
export function splitProvisioned(
  requested: number,
  mainVersion: string,
  weights: Readonly<Record<string, number>> = {},
): VersionPart[] {
  const extra = Object.entries(weights)
    .filter(([version, weight]) => weight > 0 && version !== mainVersion)
    .sort(([a], [b]) => Number(a) - Number(b));
  const extraTotal = extra.reduce((sum, [, weight]) => sum + weight, 0);
  const mainWeight = Math.max(0, 1 - extraTotal);
  const shares: Share[] = [[mainVersion, mainWeight] as const, ...extra]
    .filter(([, weight]) => weight > 0)
    .map(([version, weight], rank) => {
      const exact = requested * weight;
      return { version, weight, count: Math.floor(exact), remainder: exact % 1, rank };
    });
  let left = requested - shares.reduce((sum, s) => sum + s.count, 0);
  const byRemainder = [...shares].sort((a, b) => b.remainder - a.remainder || a.rank - b.rank);
  for (const share of byRemainder) {
    if (left <= 0) break;
    share.count += 1;
    left -= 1;
  }
  lendToEmpty(shares);
  return shares.filter((s) => s.count > 0).map(({ version, count }) => ({ version, count }));
}

/** Each weighted version with no environment takes one from the version with the most. */
function lendToEmpty(shares: Share[]): void {
  for (const empty of shares.filter((s) => s.count === 0)) {
    const richest = [...shares].sort((a, b) => b.count - a.count || b.rank - a.rank)[0];
    if (richest === undefined || richest.count < 2) return;
    richest.count -= 1;
    empty.count = 1;
  }
}
