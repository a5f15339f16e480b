/**
 * @module
 * DeleteFunction, with AWS's qualifier rules: `$LATEST` cannot be deleted on its own, aliases
 * cannot be deleted this way, a version that does not exist is deleted silently (there are no
 * versions yet). Deleting the function also drops its reserved concurrency, its logs and its
 * function URLs (routes, schedules and triggers naming it stay, as API Gateway's and
 * EventBridge's do, and fail until a function of that name exists again).
 */
import { AppError, ERRORS, type ParsedFunctionName } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { functionNotFound, loadFunction } from './lookup.js';

const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9-_]+$/;

export async function deleteFunction(
  deps: Pick<ResolvedGatewayDeps, 'registry' | 'logs' | 'settings' | 'logger' | 'sources'>,
  parsed: ParsedFunctionName,
): Promise<void> {
  const { name, qualifier } = parsed;
  const ctx = deps.settings;
  if (qualifier === '$LATEST') {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      '$LATEST version cannot be deleted without deleting the function.',
    );
  }
  if (qualifier !== undefined && ALIAS_NAME.test(qualifier)) {
    throw new AppError(ERRORS.INVALID_PARAMETER, 'Deletion of aliases is not currently supported.');
  }
  if (qualifier !== undefined) {
    await loadFunction(deps.registry, ctx, name);
    return;
  }
  if (!(await deps.registry.delete(name))) throw functionNotFound(ctx, name);
  // The function is gone either way; stale log lines are capped and harmless.
  await deps.logs.delete(name).catch((err: unknown) => {
    deps.logger.warn({ err, functionName: name }, 'could not delete function logs');
  });
  const { stores, view } = deps.sources;
  const urls = (await stores.urls.list()).filter((u) => u.functionName === name);
  await Promise.all(urls.map((u) => stores.urls.delete(u.urlId)));
  if (urls.length > 0) view.invalidate();
}
