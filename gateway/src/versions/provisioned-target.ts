/**
 * @module
 * Which published version or alias a provisioned concurrency operation names, with AWS's
 * errors: `$LATEST` is refused (Put words it differently from Get and Delete), a missing
 * version is "Function not found" and a missing alias "Cannot find alias arn", whether or not
 * the function exists. Put also refuses a config on both an alias and the version it names.
 */
import { AppError, ERRORS, isVersionNumber, type ProvisionedConfig } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { functionNotFound } from '../functions/lookup.js';
import { aliasNotFound } from './alias-ops.js';

export type ProvisionedDeps = Pick<ResolvedGatewayDeps, 'versions' | 'settings' | 'provisioned'>;

const PUT_ON_LATEST =
  'Provisioned Concurrency Configs cannot be applied to unpublished function versions.';
const ON_LATEST = 'The function resource provided must be an alias or a published version.';

/** The version a qualifier names (an alias's primary version); throws AWS's 400 / 404. */
export async function provisionedTarget(
  deps: ProvisionedDeps,
  name: string,
  qualifier: string | undefined,
  op: 'put' | 'get' | 'delete',
): Promise<string> {
  if (qualifier === undefined || qualifier === '$LATEST') {
    throw new AppError(ERRORS.INVALID_PARAMETER, op === 'put' ? PUT_ON_LATEST : ON_LATEST);
  }
  if (isVersionNumber(qualifier)) {
    const record = await deps.versions.getVersion(name, qualifier);
    if (record === undefined) throw functionNotFound(deps.settings, name, qualifier);
    return qualifier;
  }
  const alias = await deps.versions.getAlias(name, qualifier);
  if (alias === undefined) throw aliasNotFound(deps.settings, name, qualifier, 'get');
  return alias.functionVersion;
}

/** A version and an alias naming it cannot both hold a config (409 either way round). */
export async function checkNoOverlap(
  deps: ProvisionedDeps,
  name: string,
  qualifier: string,
  version: string,
): Promise<void> {
  const others = (await deps.provisioned.list(name)).filter(
    (c: ProvisionedConfig) => c.qualifier !== qualifier,
  );
  if (!isVersionNumber(qualifier)) {
    if (others.some((c) => c.qualifier === version)) {
      throw new AppError(
        ERRORS.FUNCTION_CONFLICT,
        "Alias can't be used for Provisioned Concurrency configuration on an already Provisioned version",
      );
    }
    return;
  }
  const aliases = await deps.versions.listAliases(name);
  const pointing = new Set(aliases.filter((a) => a.functionVersion === version).map((a) => a.name));
  if (others.some((c) => pointing.has(c.qualifier))) {
    throw new AppError(
      ERRORS.FUNCTION_CONFLICT,
      'Version is pointed by a Provisioned Concurrency alias',
    );
  }
}
