/**
 * @module
 * The scheduler's HTTP app: health and metrics. Built from its dependencies, never listens.
 */
import express, { type Express } from 'express';
import type { SchedulerMetrics } from './metrics.js';
import { createHealthRouter, type HealthDeps } from './routes/health.js';
import { createMetricsRouter } from './routes/metrics.js';

export interface SchedulerAppDeps extends HealthDeps {
  metrics: SchedulerMetrics;
}

export function createApp(deps: SchedulerAppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(createHealthRouter(deps));
  app.use(createMetricsRouter(deps.metrics.registry));
  app.use((_req, res) => {
    res.status(404).json({ message: 'Not found' });
  });
  return app;
}
