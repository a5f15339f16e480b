/**
 * @module
 * `/metrics` in the Prometheus text format, from the app's own Registry.
 */
import { Router } from 'express';
import type { Registry } from 'prom-client';
import { operation } from '../middleware/operation.js';

export function createMetricsRouter(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', operation('Metrics'), async (_req, res) => {
    const body = await registry.metrics();
    res.status(200).type(registry.contentType).send(body);
  });
  return router;
}
