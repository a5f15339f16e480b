/**
 * @module
 * GetAccountSettings: the account limits lambdock enforces and what is deployed. As on AWS, the
 * code size in use counts the functions' packages and the layers' archives.
 */
import { Router } from 'express';
import type { FunctionStore, LayerStore, ResolvedGatewayDeps } from '../deps.js';
import { UNZIPPED_LIMIT_BYTES, ZIPPED_LIMIT_BYTES } from '../functions/code-package.js';
import { operation } from '../middleware/operation.js';

/** AWS's default code storage quota (75 GB); we report it, storage is Redis's concern. */
const TOTAL_CODE_SIZE_LIMIT_BYTES = 80_530_636_800;
const SCAN_PAGE = 500;

async function totalCodeSize(registry: FunctionStore): Promise<number> {
  let total = 0;
  let marker: string | undefined;
  do {
    const page = await registry.list(SCAN_PAGE, marker);
    for (const record of page.items) total += record.codeSize;
    marker = page.nextMarker;
  } while (marker !== undefined);
  return total;
}

async function totalLayerSize(layers: Pick<LayerStore, 'names' | 'listVersions'>): Promise<number> {
  const versions = await Promise.all((await layers.names()).map((n) => layers.listVersions(n)));
  return versions.flat().reduce((sum, v) => sum + v.codeSize, 0);
}

export function createAccountSettingsRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  router.get('/2016-08-19/account-settings', operation('GetAccountSettings'), async (_req, res) => {
    const [functionCount, reserved, codeSize, layerSize] = await Promise.all([
      deps.registry.count(),
      deps.registry.totalReserved(),
      totalCodeSize(deps.registry),
      totalLayerSize(deps.layers),
    ]);
    const limit = deps.settings.accountConcurrency;
    res.json({
      AccountLimit: {
        TotalCodeSize: TOTAL_CODE_SIZE_LIMIT_BYTES,
        CodeSizeUnzipped: UNZIPPED_LIMIT_BYTES,
        CodeSizeZipped: ZIPPED_LIMIT_BYTES,
        ConcurrentExecutions: limit,
        UnreservedConcurrentExecutions: Math.max(0, limit - reserved),
      },
      AccountUsage: { TotalCodeSize: codeSize + layerSize, FunctionCount: functionCount },
    });
  });
  return router;
}
