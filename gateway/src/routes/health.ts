/**
 * @module
 * Liveness (`/healthz`: the process serves HTTP) and readiness (`/readyz`: Redis answers and
 * the gateway is not draining), kept apart so an orchestrator restarts only what is broken.
 */
import { Router } from 'express';
import type { Readiness } from '../deps.js';
import { operation } from '../middleware/operation.js';

export function createHealthRouter(readiness: Readiness): Router {
  const router = Router();
  router.get('/healthz', operation('Healthz'), (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', operation('Readyz'), async (_req, res) => {
    const ready = await readiness.isReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not-ready' });
  });
  return router;
}
