/**
 * @module
 * Resource-based policies: AddPermission (`POST .../policy`, 201 `{Statement}`), GetPolicy
 * (`GET`, `{Policy, RevisionId}`) and RemovePermission (`DELETE .../policy/{StatementId}`, 204),
 * on the function or one of its versions or aliases, with AWS's checks and messages. lambdock
 * keeps the policies so the tools that write them work; it does not evaluate them: who may call
 * the API is ACCESS_KEYS' business (docs/CONFIG.md).
 */
import { Router, type Request } from 'express';
import {
  AppError,
  ERRORS,
  functionArn,
  isVersionNumber,
  type ResourcePolicy,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { functionNotFound, parseNameParam, queryParam } from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { readPermission, statementOf } from '../policies/permission-input.js';
import {
  addStatement,
  preconditionFailed,
  removeStatement,
} from '../policies/statement-changes.js';
import { isAliasName } from '../versions/alias-input.js';
import { aliasNotFound } from '../versions/alias-ops.js';

const POLICY_PATH = '/2015-03-31/functions/:name/policy';
const NO_RESOURCE = 'The resource you requested does not exist.';

interface PolicyTarget {
  name: string;
  /** `""`: the function itself. */
  qualifier: string;
  /** The function's, version's or alias's RevisionId. */
  revisionId: string;
}

/** What a request names, or which piece of it is missing (each operation words that itself). */
type Lookup =
  | { found: PolicyTarget }
  | { missing: 'function' | 'version' | 'alias'; name: string; qualifier?: string };

export function createPolicyRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;

  /**
   * The function, version or alias a request names. `latest`: what `$LATEST` names (GetPolicy
   * reads it as the function itself; elsewhere it names no version).
   */
  const lookup = async (req: Request, latest: 'function' | 'none' = 'none'): Promise<Lookup> => {
    const parsed = parseNameParam(req, 'manage', ctx);
    const { name } = parsed;
    const qualifier =
      parsed.qualifier === '$LATEST' && latest === 'function' ? undefined : parsed.qualifier;
    const record = await deps.registry.get(name);
    if (record === undefined) return { missing: 'function', name };
    if (qualifier === undefined)
      return { found: { name, qualifier: '', revisionId: record.revisionId } };
    if (isVersionNumber(qualifier)) {
      const version = await deps.versions.getVersion(name, qualifier);
      return version === undefined
        ? { missing: 'version', name, qualifier }
        : { found: { name, qualifier, revisionId: version.revisionId } };
    }
    const alias = isAliasName(qualifier)
      ? await deps.versions.getAlias(name, qualifier)
      : undefined;
    if (alias !== undefined) return { found: { name, qualifier, revisionId: alias.revisionId } };
    // A qualifier that cannot name an alias (`$` in it) is a version that does not exist.
    return { missing: isAliasName(qualifier) ? 'alias' : 'version', name, qualifier };
  };

  /** AddPermission's wording for what is missing (GetFunction's). */
  const notFound = (m: Exclude<Lookup, { found: PolicyTarget }>): AppError =>
    m.missing === 'alias'
      ? aliasNotFound(ctx, m.name, m.qualifier ?? '', 'get')
      : functionNotFound(ctx, m.name, m.qualifier);

  router.post(
    POLICY_PATH,
    operation('AddPermission'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const input = readPermission(req.body);
      const { qualifier } = parseNameParam(req, 'manage', ctx);
      if (qualifier === '$LATEST') {
        throw new AppError(
          ERRORS.INVALID_PARAMETER,
          'We currently do not support adding policies for $LATEST.',
        );
      }
      const found = await lookup(req);
      if (!('found' in found)) throw notFound(found);
      const t = found.found;
      const statement = statementOf(input, functionArn(ctx, t.name, t.qualifier || undefined));
      await deps.policies.update(t.name, t.qualifier, (current): ResourcePolicy => {
        if (input.revisionId !== undefined) {
          if (current !== undefined && current.revisionId !== input.revisionId)
            throw preconditionFailed('GetPolicy');
          if (current === undefined && t.revisionId !== input.revisionId)
            throw preconditionFailed('GetFunction/GetAlias');
        }
        return addStatement(current, statement, deps.newId());
      });
      res.status(201).json({ Statement: JSON.stringify(statement) });
    },
  );

  router.get(POLICY_PATH, operation('GetPolicy'), async (req, res) => {
    const found = await lookup(req, 'function');
    // AWS words every missing piece alike here.
    if (!('found' in found)) throw new AppError(ERRORS.RESOURCE_NOT_FOUND, NO_RESOURCE);
    const t = found.found;
    const policy = await deps.policies.get(t.name, t.qualifier);
    if (policy === undefined) throw new AppError(ERRORS.RESOURCE_NOT_FOUND, NO_RESOURCE);
    const document = { Version: '2012-10-17', Id: 'default', Statement: policy.statements };
    res.json({ Policy: JSON.stringify(document), RevisionId: policy.revisionId });
  });

  router.delete(`${POLICY_PATH}/:sid`, operation('RemovePermission'), async (req, res) => {
    const sid = typeof req.params.sid === 'string' ? req.params.sid : '';
    const revisionId = queryParam(req, 'RevisionId');
    const found = await lookup(req);
    if (!('found' in found)) {
      // A missing function or version has no policy; a missing alias keeps GetAlias's wording.
      if (found.missing === 'alias') throw notFound(found);
      throw new AppError(
        ERRORS.RESOURCE_NOT_FOUND,
        `No policy found for: ${functionArn(ctx, found.name, found.qualifier)}`,
      );
    }
    const t = found.found;
    await deps.policies.update(t.name, t.qualifier, (current) =>
      removeStatement(current, sid, deps.newId(), (policy) => {
        if (revisionId !== undefined && revisionId !== policy.revisionId)
          throw preconditionFailed('GetFunction/GetAlias');
      }),
    );
    res.status(204).end();
  });

  return router;
}
