/**
 * @module
 * Which record `name[:qualifier]` means, with the not-found message each operation uses.
 * Invocations resolve `$LATEST`, a version or an alias (a weighted alias picks its version here,
 * so the executed version is known before the job is queued); look-ups (GetFunction) show an
 * alias as the version it points at, under the alias's ARN, as AWS does.
 */
import { isVersionNumber, type FunctionRecord } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { functionNotFound } from '../functions/lookup.js';

export type TargetDeps = Pick<ResolvedGatewayDeps, 'registry' | 'versions' | 'settings' | 'random'>;

export interface InvokeTarget {
  record: FunctionRecord;
  /** `$LATEST` or the version number that runs: X-Amz-Executed-Version. */
  executedVersion: string;
}

export interface LookupTarget {
  record: FunctionRecord;
  /** What FunctionArn is qualified with: `$LATEST`, the version or the alias asked for. */
  arnQualifier?: string;
}

/** Invoke's target; 404 names the qualified ARN (`:$LATEST` when none was given). */
export async function resolveInvokeTarget(
  deps: TargetDeps,
  name: string,
  qualifier: string | undefined,
): Promise<InvokeTarget> {
  const { registry, versions, settings } = deps;
  // The hot path: one read, no detour through the version store.
  if (qualifier === undefined || qualifier === '$LATEST') {
    const record = await registry.get(name);
    if (record === undefined) throw functionNotFound(settings, name, '$LATEST');
    return { record, executedVersion: '$LATEST' };
  }
  const resolved = await versions.resolve(() => registry.get(name), name, qualifier, deps.random);
  if (resolved === undefined) throw functionNotFound(settings, name, qualifier);
  return resolved;
}

/** GetFunction / GetFunctionConfiguration's record; 404 names the ARN as asked. */
export async function resolveLookupTarget(
  deps: TargetDeps,
  name: string,
  qualifier: string | undefined,
): Promise<LookupTarget> {
  const { registry, versions, settings } = deps;
  const missing = (): Error => functionNotFound(settings, name, qualifier);
  if (qualifier === undefined || qualifier === '$LATEST') {
    const record = await registry.get(name);
    if (record === undefined) throw missing();
    return qualifier === undefined ? { record } : { record, arnQualifier: qualifier };
  }
  let version = qualifier;
  if (!isVersionNumber(qualifier)) {
    const alias = await versions.getAlias(name, qualifier);
    if (alias === undefined) throw missing();
    version = alias.functionVersion;
  }
  const record =
    version === '$LATEST' ? await registry.get(name) : await versions.getVersion(name, version);
  if (record === undefined) throw missing();
  return { record, arnQualifier: qualifier };
}
