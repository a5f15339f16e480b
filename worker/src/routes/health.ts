/**
 * @module
 * Liveness and readiness. Liveness answers while the process runs; readiness also needs
 * Redis and the Docker engine, and fails while draining.
 */
import { Router } from 'express';

export interface HealthDeps {
  isReady(): Promise<boolean>;
}

export function createHealthRouter(deps: HealthDeps): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await deps.isReady();
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  return router;
}
