/**
 * @module
 * Prometheus scrape endpoint for this app's own registry.
 */
import { Router } from 'express';
import type { Registry } from 'prom-client';

export function createMetricsRouter(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    res.type(registry.contentType).send(await registry.metrics());
  });
  return router;
}
