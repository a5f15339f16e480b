/**
 * @module
 * A layer version's resource-based policy: AddLayerVersionPermission (`POST
 * .../versions/{VersionNumber}/policy`, 201 `{Statement, RevisionId}`), GetLayerVersionPolicy
 * (`GET`, `{Policy, RevisionId}`) and RemoveLayerVersionPermission (`DELETE
 * .../policy/{StatementId}`, 204), with AWS's checks and messages. lambdock keeps one account's
 * layers, so the policy is kept for the tools that write it and not evaluated.
 */
import { Router, type Request } from 'express';
import { AppError, ERRORS, type ResourcePolicy } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { queryParam } from '../functions/lookup.js';
import { readLayerName, readVersionNumber } from '../layers/layer-input.js';
import { layerStatementOf, readLayerPermission } from '../layers/layer-permission.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import {
  addStatement,
  noPolicy,
  preconditionFailed,
  removeStatement,
} from '../policies/statement-changes.js';
import { operation } from '../middleware/operation.js';

const POLICY = '/2018-10-31/layers/:layerName/versions/:version/policy';

interface Target {
  name: string;
  version: number;
  arn: string;
}

export function createLayerPolicyRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;

  /** The version a request names; AWS's not-found, naming its ARN, when it does not exist. */
  const target = async (req: Request): Promise<{ t: Target; missing: () => AppError }> => {
    const layer = readLayerName(req.params.layerName, ctx);
    const version = readVersionNumber(req.params.version);
    const arn = `${layer.arn}:${version}`;
    const missing = (): AppError =>
      new AppError(ERRORS.RESOURCE_NOT_FOUND, `Layer version ${arn} does not exist.`);
    if (!layer.local || (await deps.layers.get(layer.name, version)) === undefined) throw missing();
    return { t: { name: layer.name, version, arn }, missing };
  };

  router.post(
    POLICY,
    operation('AddLayerVersionPermission'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const input = readLayerPermission(req.body);
      const revisionId = queryParam(req, 'RevisionId');
      const { t, missing } = await target(req);
      const statement = layerStatementOf(input, t.arn);
      const stored = await deps.layers.updatePolicy(
        t.name,
        t.version,
        (current): ResourcePolicy => {
          if (revisionId !== undefined && current?.revisionId !== revisionId)
            throw preconditionFailed('GetLayerPolicy');
          return addStatement(current, statement, deps.newId());
        },
        missing,
      );
      res
        .status(201)
        .json({ Statement: JSON.stringify(statement), RevisionId: stored?.revisionId ?? '' });
    },
  );

  router.get(POLICY, operation('GetLayerVersionPolicy'), async (req, res) => {
    const { t } = await target(req);
    const policy = await deps.layers.getPolicy(t.name, t.version);
    if (policy === undefined) throw noPolicy();
    const document = { Version: '2012-10-17', Id: 'default', Statement: policy.statements };
    res.json({ Policy: JSON.stringify(document), RevisionId: policy.revisionId });
  });

  router.delete(`${POLICY}/:sid`, operation('RemoveLayerVersionPermission'), async (req, res) => {
    const sid = typeof req.params.sid === 'string' ? req.params.sid : '';
    const revisionId = queryParam(req, 'RevisionId');
    const { t, missing } = await target(req);
    await deps.layers.updatePolicy(
      t.name,
      t.version,
      (current) =>
        removeStatement(current, sid, deps.newId(), (policy) => {
          if (revisionId !== undefined && revisionId !== policy.revisionId)
            throw preconditionFailed('GetLayerPolicy');
        }),
      missing,
    );
    res.status(204).end();
  });

  return router;
}
