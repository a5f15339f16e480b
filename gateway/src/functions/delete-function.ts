/**
 * @module
 * DeleteFunction, with AWS's qualifier rules: `$LATEST` cannot be deleted on its own, aliases
 * cannot be deleted this way, a version that does not exist is deleted silently, a version an
 * alias points at (or routes to) is refused (409). Deleting the function also drops its
 * versions and aliases, its reserved concurrency, its logs and its function URLs (routes,
 * schedules and triggers naming it stay, as API Gateway's and EventBridge's do, and fail until
 * a function of that name exists again).
 */
import { AppError, ERRORS, type ParsedFunctionName } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { functionNotFound, loadFunction } from './lookup.js';
import { isAliasName } from '../versions/alias-input.js';

type DeleteDeps = Pick<
  ResolvedGatewayDeps,
  | 'registry'
  | 'versions'
  | 'logs'
  | 'settings'
  | 'logger'
  | 'sources'
  | 'async'
  | 'provisioned'
  | 'policies'
>;

/** A published version; refused while an alias still names it. */
async function deleteVersion(deps: DeleteDeps, name: string, version: string): Promise<void> {
  await loadFunction(deps.registry, deps.settings, name);
  const referencing = (await deps.versions.listAliases(name))
    .filter(
      (a) => a.functionVersion === version || a.additionalVersionWeights?.[version] !== undefined,
    )
    .map((a) => a.name);
  if (referencing.length > 0) {
    throw new AppError(
      ERRORS.VERSION_REFERENCED,
      `Unable to delete version because the following aliases reference it: [${referencing.join(', ')}]`,
    );
  }
  await deps.versions.deleteVersion(name, version);
  // What was set on the version goes with it: nothing could remove it afterwards.
  await Promise.all([
    deps.policies.delete(name, version),
    deps.provisioned.delete(name, version),
    deps.async.configs.delete(name, version),
  ]);
}

export async function deleteFunction(deps: DeleteDeps, parsed: ParsedFunctionName): Promise<void> {
  const { name, qualifier } = parsed;
  const ctx = deps.settings;
  if (qualifier === '$LATEST') {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      '$LATEST version cannot be deleted without deleting the function.',
    );
  }
  if (qualifier !== undefined && isAliasName(qualifier)) {
    throw new AppError(ERRORS.INVALID_PARAMETER, 'Deletion of aliases is not currently supported.');
  }
  if (qualifier !== undefined) return deleteVersion(deps, name, qualifier);
  if (!(await deps.registry.delete(name))) throw functionNotFound(ctx, name);
  await deps.versions.deleteAll(name);
  await deps.async.configs.deleteAll(name);
  await deps.policies.deleteAll(name);
  // Its provisioned environments go with it: the worker retires what no config names.
  const provisioned = await deps.provisioned.list(name);
  await Promise.all(provisioned.map((c) => deps.provisioned.delete(name, c.qualifier)));
  // The function is gone either way; stale log lines are capped and harmless.
  await deps.logs.delete(name).catch((err: unknown) => {
    deps.logger.warn({ err, functionName: name }, 'could not delete function logs');
  });
  const { stores, view } = deps.sources;
  const urls = (await stores.urls.list()).filter((u) => u.functionName === name);
  await Promise.all(urls.map((u) => stores.urls.delete(u.urlId)));
  if (urls.length > 0) view.invalidate();
}
