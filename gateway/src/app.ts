/**
 * @module
 * The gateway's HTTP app, built from its dependencies; it never listens (main.ts does, tests
 * drive it through supertest). In front of it, a fast path takes Invoke requests. Order: request id, metrics, function URLs and storage webhooks,
 * the signature check (ACCESS_KEYS), the Lambda, CloudWatch Logs and lambdock APIs, user HTTP routes, unknown operation, the one error handler.
 */
import { randomUUID } from 'node:crypto';
import type { RequestListener } from 'node:http';
import express, { type Express } from 'express';
import { noCoalescing } from '@lambdock/core';
import { requireSignature } from './auth/require-signature.js';
import { createRequestVerifier } from './auth/request-verifier.js';
import type { GatewayDeps, ResolvedGatewayDeps } from './deps.js';
import { withInvokeFastPath } from './ingress/invoke-fast-path.js';
import { createSplitAdmission } from './invoke/split-admission.js';
import { createErrorHandler, unknownOperation } from './middleware/error-handler.js';
import { createHttpMetrics } from './middleware/http-metrics.js';
import { createRequestId } from './middleware/request-id.js';
import { createAccountSettingsRouter } from './routes/account-settings.js';
import { createAliasesRouter } from './routes/aliases.js';
import { createCloudWatchLogsRouter, markLogsRequests } from './routes/cloudwatch-logs.js';
import { createCodeSigningRouter } from './routes/code-signing.js';
import { createConcurrencyRouter } from './routes/concurrency.js';
import { createPolicyRouter } from './routes/policy.js';
import { createRecursionConfigRouter } from './routes/recursion-config.js';
import { createTagsRouter } from './routes/tags.js';
import { createEventInvokeConfigRouter } from './routes/event-invoke-config.js';
import { createFunctionUrlsRouter } from './routes/function-urls.js';
import { createFunctionsRouter } from './routes/functions.js';
import { createHealthRouter } from './routes/health.js';
import { createHttpIngressRouter } from './routes/http-ingress.js';
import { createInvocationsRouter } from './routes/invocations.js';
import { createInvokeRouter } from './routes/invoke.js';
import { createInvokeAsyncRouter } from './routes/invoke-async.js';
import { createInvokeStreamRouter } from './routes/invoke-stream.js';
import { createLayerPolicyRouter } from './routes/layer-policy.js';
import { createLayersRouter } from './routes/layers.js';
import { createLogsRouter } from './routes/logs.js';
import { createMetricsRouter } from './routes/metrics.js';
import { createProvisionedConcurrencyRouter } from './routes/provisioned-concurrency.js';
import { createQueuesRouter } from './routes/queues.js';
import { createRouteConfigRouter } from './routes/route-config.js';
import { createScheduleConfigRouter } from './routes/schedule-config.js';
import { createStorageConfigRouter } from './routes/storage-config.js';
import { createStorageIngressRouter } from './routes/storage-ingress.js';
import { createUrlIngressRouter } from './routes/url-ingress.js';
import { evenSplit } from './versions/even-split.js';
import { createVersionsRouter } from './routes/versions.js';

export interface AppOptions {
  /** Base of function URLs. @defaultValue http://127.0.0.1:8080 */
  publicUrl?: string;
}

function resolve(deps: GatewayDeps): ResolvedGatewayDeps {
  return {
    now: Date.now,
    newId: randomUUID,
    random: evenSplit(),
    coalesce: noCoalescing,
    admission: createSplitAdmission(deps),
    signatures:
      deps.settings.accessKeys.size > 0
        ? createRequestVerifier({ keys: deps.settings.accessKeys, now: deps.now ?? Date.now })
        : null,
    ...deps,
  };
}

/**
 * What the gateway serves: Invoke straight to its handler (ingress/invoke-fast-path.ts), every
 * other request through the Express app.
 */
export function createGatewayListener(
  deps: GatewayDeps,
  options: AppOptions = {},
): RequestListener {
  const resolved = resolve(deps);
  return withInvokeFastPath(resolved, buildApp(resolved, options));
}

/** The Express app alone (Invoke included, for requests the fast path leaves to it). */
export function createApp(deps: GatewayDeps, options: AppOptions = {}): Express {
  return buildApp(resolve(deps), options);
}

function buildApp(resolved: ResolvedGatewayDeps, options: AppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // Payloads go out as given; hashing up to 6 MB per response for an ETag buys nothing.
  app.set('etag', false);
  app.use(createRequestId({ logger: resolved.logger, newId: resolved.newId }));
  app.use(createHttpMetrics(resolved.metrics));
  app.use(createHealthRouter(resolved.readiness));
  app.use(createMetricsRouter(resolved.metrics.registry));
  app.use(createUrlIngressRouter(resolved));
  app.use(createStorageIngressRouter(resolved));
  app.use(markLogsRequests());
  // Everything after this on the API's own paths is signed (when ACCESS_KEYS is set).
  if (resolved.signatures !== null)
    app.use(requireSignature(resolved.signatures, resolved.settings));
  app.use(createInvokeRouter(resolved));
  app.use(createInvokeStreamRouter(resolved));
  app.use(createInvokeAsyncRouter(resolved));
  app.use(createFunctionsRouter(resolved));
  app.use(createVersionsRouter(resolved));
  app.use(createAliasesRouter(resolved));
  app.use(createConcurrencyRouter(resolved));
  app.use(createTagsRouter(resolved));
  app.use(createRecursionConfigRouter(resolved));
  app.use(createPolicyRouter(resolved));
  app.use(createCodeSigningRouter(resolved));
  app.use(createProvisionedConcurrencyRouter(resolved));
  app.use(createEventInvokeConfigRouter(resolved));
  app.use(createAccountSettingsRouter(resolved));
  app.use(createLayersRouter(resolved));
  app.use(createLayerPolicyRouter(resolved));
  app.use(createLogsRouter(resolved));
  app.use(createCloudWatchLogsRouter(resolved));
  app.use(createFunctionUrlsRouter(resolved, options.publicUrl ?? 'http://127.0.0.1:8080'));
  app.use(createRouteConfigRouter(resolved));
  app.use(createScheduleConfigRouter(resolved));
  app.use(createStorageConfigRouter(resolved));
  app.use(createInvocationsRouter(resolved));
  app.use(createQueuesRouter(resolved));
  // Last: user routes take whatever no gateway operation claimed.
  app.use(createHttpIngressRouter(resolved));
  app.use(unknownOperation());
  app.use(createErrorHandler(resolved.logger));
  return app;
}
