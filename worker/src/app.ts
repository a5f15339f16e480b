/**
 * @module
 * The worker's own HTTP app: liveness, readiness and metrics. Built from its dependencies and
 * never listens; function containers talk to the per-environment Runtime API servers instead.
 */
import express, { type Express } from 'express';
import type { WorkerMetrics } from './metrics.js';
import { createHealthRouter, type HealthDeps } from './routes/health.js';
import { createMetricsRouter } from './routes/metrics.js';

export interface WorkerAppDeps extends HealthDeps {
  metrics: WorkerMetrics;
}

export function createApp(deps: WorkerAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(createHealthRouter(deps));
  app.use(createMetricsRouter(deps.metrics.registry));
  app.use((_req, res) => {
    res.status(404).json({ message: 'Not found' });
  });
  return app;
}
