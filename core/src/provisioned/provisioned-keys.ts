/**
 * @module
 * Redis keys of provisioned placement, beside the configs (provisioned-store.ts). Members of an
 * idle set are `worker/environment`; members of a worker's claims are `function:version/environment`
 * (worker ids, environment ids, names and versions never contain `/`).
 */

export interface ProvisionedKeys {
  /** Sorted set: worker id -> when its provisioned liveness ends (Redis clock, ms). */
  readonly live: string;
  /** JSON ProvisionedAssignment, written by the lock holder. */
  readonly assignment: string;
  /** JSON array of the version keys that have provisioned environments (gateways cache it). */
  readonly targets: string;
  /** Hash: worker id -> JSON WorkerReport. */
  readonly reports: string;
  /** Set of idle, initialized, unclaimed provisioned environments of one version. */
  idle(versionKey: string): string;
  /** Sorted set of a worker's environments claimed by gateways, scored by claim time (ms). */
  claims(workerId: string): string;
  /** What `claims` prepends to a worker id (the claim script builds the key itself). */
  readonly claimsPrefix: string;
}

export function provisionedKeys(prefix: string): ProvisionedKeys {
  const claimsPrefix = `${prefix}:pc:claims:`;
  return Object.freeze({
    live: `${prefix}:pc:live`,
    assignment: `${prefix}:pc:assignment`,
    targets: `${prefix}:pc:targets`,
    reports: `${prefix}:pc:reports`,
    idle: (versionKey: string) => `${prefix}:pc:idle:${versionKey}`,
    claims: (workerId: string) => `${claimsPrefix}${workerId}`,
    claimsPrefix,
  });
}

export const offerMember = (workerId: string, environmentId: string): string =>
  `${workerId}/${environmentId}`;

export const claimMember = (versionKey: string, environmentId: string): string =>
  `${versionKey}/${environmentId}`;

/** `worker/environment` or `function:version/environment` split at its `/`. */
export function splitMember(member: string): [string, string] | undefined {
  const at = member.indexOf('/');
  return at <= 0 ? undefined : [member.slice(0, at), member.slice(at + 1)];
}
