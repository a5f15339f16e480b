/**
 * @module
 * The gateway's HTTP app, built from its dependencies; it never listens (main.ts does, tests
 * drive it through supertest). Order: request id, metrics, routes, unknown operation, the one
 * error handler.
 */
import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import type { GatewayDeps, ResolvedGatewayDeps } from './deps.js';
import { createErrorHandler, unknownOperation } from './middleware/error-handler.js';
import { createHttpMetrics } from './middleware/http-metrics.js';
import { createRequestId } from './middleware/request-id.js';
import { createAccountSettingsRouter } from './routes/account-settings.js';
import { createConcurrencyRouter } from './routes/concurrency.js';
import { createFunctionsRouter } from './routes/functions.js';
import { createHealthRouter } from './routes/health.js';
import { createInvokeRouter } from './routes/invoke.js';
import { createLogsRouter } from './routes/logs.js';
import { createMetricsRouter } from './routes/metrics.js';

export function createApp(deps: GatewayDeps): Express {
  const resolved: ResolvedGatewayDeps = { now: Date.now, newId: randomUUID, ...deps };
  const app = express();
  app.disable('x-powered-by');
  // Payloads go out as given; hashing up to 6 MB per response for an ETag buys nothing.
  app.set('etag', false);
  app.use(createRequestId({ logger: resolved.logger, newId: resolved.newId }));
  app.use(createHttpMetrics(resolved.metrics));
  app.use(createHealthRouter(resolved.readiness));
  app.use(createMetricsRouter(resolved.metrics.registry));
  app.use(createInvokeRouter(resolved));
  app.use(createFunctionsRouter(resolved));
  app.use(createConcurrencyRouter(resolved));
  app.use(createAccountSettingsRouter(resolved));
  app.use(createLogsRouter(resolved));
  app.use(unknownOperation());
  app.use(createErrorHandler(resolved.logger));
  return app;
}
