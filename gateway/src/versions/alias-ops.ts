/**
 * @module
 * Alias operations behind the routes: create, update (compare-and-set, RevisionId checked
 * against the stored alias), and the AliasConfiguration rendering. Every version an alias names
 * must exist (404 names it, as AWS does); routing rules are alias-input.ts's.
 */
import { AppError, ERRORS, functionArn, type AliasRecord, type ArnContext } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { preconditionFailed } from '../functions/conflicts.js';
import { functionNotFound, loadFunction } from '../functions/lookup.js';
import { checkRouting, type AliasInput } from './alias-input.js';

export type AliasDeps = Pick<ResolvedGatewayDeps, 'registry' | 'versions' | 'settings' | 'newId'>;

export interface AliasConfiguration {
  AliasArn: string;
  Name: string;
  FunctionVersion: string;
  Description: string;
  RoutingConfig?: { AdditionalVersionWeights: Record<string, number> };
  RevisionId: string;
}

/** AWS's AliasConfiguration: RoutingConfig only when it routes somewhere. */
export function renderAlias(ctx: ArnContext, alias: AliasRecord): AliasConfiguration {
  const weights = alias.additionalVersionWeights ?? {};
  return {
    AliasArn: functionArn(ctx, alias.functionName, alias.name),
    Name: alias.name,
    FunctionVersion: alias.functionVersion,
    Description: alias.description,
    ...(Object.keys(weights).length > 0
      ? { RoutingConfig: { AdditionalVersionWeights: { ...weights } } }
      : {}),
    RevisionId: alias.revisionId,
  };
}

/** UpdateAlias's wording (`Alias not found`) or GetAlias's (`Cannot find alias arn`): both recorded. */
export function aliasNotFound(
  ctx: ArnContext,
  name: string,
  alias: string,
  wording: 'update' | 'get' = 'update',
): AppError {
  const prefix = wording === 'get' ? 'Cannot find alias arn:' : 'Alias not found:';
  return new AppError(ERRORS.FUNCTION_NOT_FOUND, `${prefix} ${functionArn(ctx, name, alias)}`);
}

/** `$LATEST` or a published version of `name` must exist; 404 names it. */
async function requireVersion(deps: AliasDeps, name: string, version: string): Promise<void> {
  const found =
    version === '$LATEST'
      ? await deps.registry.get(name)
      : await deps.versions.getVersion(name, version);
  if (found === undefined) throw functionNotFound(deps.settings, name, version);
}

function withWeights(
  alias: Omit<AliasRecord, 'additionalVersionWeights'>,
  weights: Record<string, number>,
): AliasRecord {
  return Object.keys(weights).length > 0
    ? { ...alias, additionalVersionWeights: { ...weights } }
    : alias;
}

export async function createAlias(
  deps: AliasDeps,
  name: string,
  input: AliasInput,
): Promise<AliasRecord> {
  const functionVersion = input.functionVersion ?? '$LATEST';
  const aliasName = input.name ?? '';
  const weights = input.weights ?? {};
  checkRouting(functionVersion, weights);
  const ctx = deps.settings;
  if ((await deps.registry.get(name)) === undefined)
    throw functionNotFound(ctx, name, functionVersion);
  for (const version of [functionVersion, ...Object.keys(weights)])
    await requireVersion(deps, name, version);
  const alias = withWeights(
    {
      name: aliasName,
      functionName: name,
      functionVersion,
      description: input.description ?? '',
      revisionId: deps.newId(),
    },
    weights,
  );
  if (!(await deps.versions.createAlias(alias))) {
    throw new AppError(
      ERRORS.ALIAS_EXISTS,
      `Alias already exists: ${functionArn(ctx, name, aliasName)}`,
    );
  }
  return alias;
}

export async function updateAlias(
  deps: AliasDeps,
  name: string,
  aliasName: string,
  input: AliasInput,
): Promise<AliasRecord> {
  const ctx = deps.settings;
  await loadFunction(deps.registry, ctx, name);
  const current = await deps.versions.getAlias(name, aliasName);
  if (current === undefined) throw aliasNotFound(ctx, name, aliasName);
  if (input.revisionId !== undefined && input.revisionId !== current.revisionId)
    throw preconditionFailed();
  const functionVersion = input.functionVersion ?? current.functionVersion;
  const weights = input.weights ?? current.additionalVersionWeights ?? {};
  checkRouting(functionVersion, weights);
  const named = [
    ...(input.functionVersion === undefined ? [] : [input.functionVersion]),
    ...(input.weights === undefined ? [] : Object.keys(input.weights)),
  ];
  for (const version of named) await requireVersion(deps, name, version);
  const updated = await deps.versions.updateAlias(name, aliasName, (stored) => {
    // Checked again on the stored alias: a concurrent update must not be overwritten blindly.
    if (input.revisionId !== undefined && input.revisionId !== stored.revisionId)
      throw preconditionFailed();
    return withWeights(
      {
        name: stored.name,
        functionName: stored.functionName,
        functionVersion: input.functionVersion ?? stored.functionVersion,
        description: input.description ?? stored.description,
        revisionId: deps.newId(),
      },
      input.weights ?? stored.additionalVersionWeights ?? {},
    );
  });
  if (updated === undefined) throw aliasNotFound(ctx, name, aliasName);
  return updated;
}
