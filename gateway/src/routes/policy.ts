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
  isAppError,
  isVersionNumber,
  type ResourcePolicy,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { functionNotFound, parseNameParam, queryParam } from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { readPermission, statementOf } from '../policies/permission-input.js';
import { aliasNotFound } from '../versions/alias-ops.js';

const POLICY_PATH = '/2015-03-31/functions/:name/policy';
const ALIAS_NAME = /^(?!\d+$)[a-zA-Z0-9-_]+$/;
const NO_RESOURCE = 'The resource you requested does not exist.';

const preconditionFailed = (getter: 'GetPolicy' | 'GetFunction/GetAlias'): AppError =>
  new AppError(
    ERRORS.PRECONDITION_FAILED,
    `The Revision Id provided does not match the latest Revision Id. Call the ${getter} API to retrieve the latest Revision Id`,
  );

interface PolicyTarget {
  name: string;
  /** `""`: the function itself. */
  qualifier: string;
  /** The function's, version's or alias's RevisionId. */
  revisionId: string;
}

export function createPolicyRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;

  /** The function, version or alias a request names; AWS's 404 wording per kind. */
  const target = async (req: Request): Promise<PolicyTarget> => {
    const { name, qualifier } = parseNameParam(req, 'manage', ctx);
    const record = await deps.registry.get(name);
    if (record === undefined) throw functionNotFound(ctx, name);
    if (qualifier === undefined) return { name, qualifier: '', revisionId: record.revisionId };
    if (isVersionNumber(qualifier)) {
      const version = await deps.versions.getVersion(name, qualifier);
      if (version === undefined) throw functionNotFound(ctx, name, qualifier);
      return { name, qualifier, revisionId: version.revisionId };
    }
    if (!ALIAS_NAME.test(qualifier)) throw functionNotFound(ctx, name, qualifier);
    const alias = await deps.versions.getAlias(name, qualifier);
    if (alias === undefined) throw aliasNotFound(ctx, name, qualifier, 'get');
    return { name, qualifier, revisionId: alias.revisionId };
  };

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
      const t = await target(req);
      const statement = statementOf(input, functionArn(ctx, t.name, t.qualifier || undefined));
      await deps.policies.update(t.name, t.qualifier, (current): ResourcePolicy => {
        if (input.revisionId !== undefined) {
          if (current !== undefined && current.revisionId !== input.revisionId)
            throw preconditionFailed('GetPolicy');
          if (current === undefined && t.revisionId !== input.revisionId)
            throw preconditionFailed('GetFunction/GetAlias');
        }
        const statements = current?.statements ?? [];
        if (statements.some((s) => s.Sid === statement.Sid)) {
          throw new AppError(
            ERRORS.POLICY_STATEMENT_EXISTS,
            `The statement id (${statement.Sid}) provided already exists. Please provide a new statement id, or remove the existing statement.`,
          );
        }
        return { revisionId: deps.newId(), statements: [...statements, statement] };
      });
      res.status(201).json({ Statement: JSON.stringify(statement) });
    },
  );

  router.get(POLICY_PATH, operation('GetPolicy'), async (req, res) => {
    const t = await target(req).catch((err: unknown) => {
      // AWS words every missing piece alike here.
      throw isAppError(err) && err.statusCode === 404
        ? new AppError(ERRORS.RESOURCE_NOT_FOUND, NO_RESOURCE)
        : err;
    });
    const policy = await deps.policies.get(t.name, t.qualifier);
    if (policy === undefined) throw new AppError(ERRORS.RESOURCE_NOT_FOUND, NO_RESOURCE);
    const document = { Version: '2012-10-17', Id: 'default', Statement: policy.statements };
    res.json({ Policy: JSON.stringify(document), RevisionId: policy.revisionId });
  });

  router.delete(`${POLICY_PATH}/:sid`, operation('RemovePermission'), async (req, res) => {
    const sid = typeof req.params.sid === 'string' ? req.params.sid : '';
    const revisionId = queryParam(req, 'RevisionId');
    const t = await target(req).catch((err: unknown) => {
      // A missing function or version has no policy; a missing alias keeps its own wording.
      if (isAppError(err) && err.message.startsWith('Function not found: ')) {
        throw new AppError(
          ERRORS.RESOURCE_NOT_FOUND,
          `No policy found for: ${err.message.slice('Function not found: '.length)}`,
        );
      }
      throw err;
    });
    await deps.policies.update(t.name, t.qualifier, (current) => {
      if (current === undefined) {
        throw new AppError(
          ERRORS.RESOURCE_NOT_FOUND,
          'No policy is associated with the given resource.',
        );
      }
      if (revisionId !== undefined && revisionId !== current.revisionId)
        throw preconditionFailed('GetFunction/GetAlias');
      if (!current.statements.some((s) => s.Sid === sid)) {
        throw new AppError(
          ERRORS.RESOURCE_NOT_FOUND,
          `Statement ${sid} is not found in resource policy.`,
        );
      }
      return {
        revisionId: deps.newId(),
        statements: current.statements.filter((s) => s.Sid !== sid),
      };
    });
    res.status(204).end();
  });

  return router;
}
