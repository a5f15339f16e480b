/**
 * @module
 * A function's code signing config (`/2020-06-30/functions/{name}/code-signing-config`).
 * lambdock verifies no code signatures and keeps no code signing configs, so:
 * - GetFunctionCodeSigningConfig answers an empty `CodeSigningConfigArn`, as AWS answers for a
 *   function without a config (infrastructure tools read it on every refresh);
 * - PutFunctionCodeSigningConfig gets AWS's answer for a config that does not exist, checked
 *   before the function, as AWS does;
 * - DeleteFunctionCodeSigningConfig succeeds (204) for any function: it has none after.
 */
import { Router } from 'express';
import { validationError } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { readCodeSigningArn, refuseCodeSigning } from '../functions/code-signing-arn.js';
import { Problems, isObject } from '../functions/field-readers.js';
import { loadUnqualified, parseNameParam, requireUnqualified } from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';

const PATH = '/2020-06-30/functions/:name/code-signing-config';

export function createCodeSigningRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;
  router.get(PATH, operation('GetFunctionCodeSigningConfig'), async (req, res) => {
    const { name } = await loadUnqualified(deps.registry, ctx, req);
    res.json({ CodeSigningConfigArn: '', FunctionName: name });
  });
  router.put(
    PATH,
    operation('PutFunctionCodeSigningConfig'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    (req) => {
      requireUnqualified(parseNameParam(req, 'manage', ctx));
      const value = isObject(req.body) ? req.body.CodeSigningConfigArn : undefined;
      const problems = new Problems();
      const arn = readCodeSigningArn(problems, value, 'required');
      if (arn === undefined) throw validationError(problems.messages);
      refuseCodeSigning(arn, 'a function needs no code signing config to run');
    },
  );
  router.delete(PATH, operation('DeleteFunctionCodeSigningConfig'), async (req, res) => {
    await loadUnqualified(deps.registry, ctx, req);
    res.status(204).end();
  });
  return router;
}
