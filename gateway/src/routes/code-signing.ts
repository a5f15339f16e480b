/**
 * @module
 * GetFunctionCodeSigningConfig (`/2020-06-30/functions/{name}/code-signing-config`): lambdock
 * verifies no code signatures, so every function answers with an empty `CodeSigningConfigArn`,
 * as AWS answers for a function without a config. Tools that read it on every refresh (infra as
 * code) then see what they expect.
 */
import { Router } from 'express';
import type { ResolvedGatewayDeps } from '../deps.js';
import { loadUnqualified } from '../functions/lookup.js';
import { operation } from '../middleware/operation.js';

export function createCodeSigningRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;
  router.get(
    '/2020-06-30/functions/:name/code-signing-config',
    operation('GetFunctionCodeSigningConfig'),
    async (req, res) => {
      const { name } = await loadUnqualified(deps.registry, ctx, req);
      res.json({ CodeSigningConfigArn: '', FunctionName: name });
    },
  );
  return router;
}
