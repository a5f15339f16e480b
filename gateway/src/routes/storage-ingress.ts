/**
 * @module
 * The storage webhook receiver: `POST /lambdock/v1/storage-events/{webhook}`. A sender proves
 * itself with the webhook's secret (MinIO's `Authorization: Bearer`, or `?token=` for senders
 * that cannot add headers, such as Ceph RGW); a wrong or missing secret is 401 and nothing is
 * invoked. Each record of the body becomes AWS's exact S3 event for every trigger it matches,
 * queued as an async invocation whose request id is derived from the trigger and the event, so
 * a replayed delivery invokes once. 200 is answered only after every invocation was queued (a
 * sender that sees anything else retries, and the retry is deduplicated).
 */
import { Router, type RequestHandler } from 'express';
import {
  AppError,
  ERRORS,
  functionArn,
  uuidV5,
  type InvokeJobData,
  type TriggerRecord,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import type { WebhookRecordResult } from '../metrics.js';
import { jsonBody } from '../middleware/json-body.js';
import { contextOf } from '../middleware/request-context.js';
import { operation } from '../middleware/operation.js';
import { normalizeNotification } from '../storage-events/normalize-notification.js';
import { matchingRules } from '../storage-events/trigger-rules.js';
import { toS3Event } from '../storage-events/aws-record.js';
import type { NormalizedRecord } from '../storage-events/types.js';
import { presentedSecret } from '../storage-events/webhook-secret.js';
import { secretHashMatches } from '../sources/storage-input.js';
import { LAMBDOCK_API } from './route-config.js';

/** 100 records of at most 64 KB each, plus the envelope. */
const NOTIFICATION_LIMIT_BYTES = 7 * 1024 * 1024;
/** Namespace of the request ids of storage-triggered invocations. */
const DELIVERY_NAMESPACE = '0b3f6c53-5b0f-4f7e-9d63-2a4c1c6f8e21';
/**
 * The metric label of deliveries to a webhook that does not exist. That name comes from the
 * caller, and every label value is a series kept for the life of the process.
 */
const UNKNOWN_WEBHOOK_LABEL = '(unknown)';

interface Delivery {
  trigger: TriggerRecord;
  record: NormalizedRecord;
  requestId: string;
}

export function createStorageIngressRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const { settings, metrics } = deps;
  const count = (webhook: string, result: WebhookRecordResult, n = 1): void => {
    if (n > 0) metrics.webhookRecords.inc({ webhook, result }, n);
  };

  // A body that is not JSON, or too large, is refused here, before the handler that counts.
  const parseJson = jsonBody(NOTIFICATION_LIMIT_BYTES);
  const readBody: RequestHandler = (req, res, next) => {
    parseJson(req, res, (err?: unknown) => {
      if (err !== undefined) count(String(req.params.webhook), 'rejected');
      next(err);
    });
  };

  const deliver = async (d: Delivery): Promise<WebhookRecordResult> => {
    if ((await deps.registry.get(d.trigger.functionName)) === undefined) return 'rejected';
    // Claimed before queueing: of concurrent replays exactly one goes on.
    if (!(await deps.sources.deliveries.claim(d.requestId))) return 'duplicate';
    const event = toS3Event([d.record.record], { configurationId: d.trigger.id });
    const job: InvokeJobData = {
      requestId: d.requestId,
      functionName: d.trigger.functionName,
      // As configured: the worker resolves a version or an alias when the attempt runs.
      qualifier: d.trigger.qualifier ?? '$LATEST',
      invokedArn: functionArn(settings, d.trigger.functionName, d.trigger.qualifier),
      payload: JSON.stringify(event),
      logTail: false,
      acceptedAt: deps.now(),
    };
    // The job id is the request id: a concurrent replay adds nothing while the job exists,
    // and the marker covers the time after BullMQ removed it.
    try {
      await deps.queue.enqueueAsync(job);
    } catch (err) {
      // Not stored: let the sender's retry claim it again.
      await deps.sources.deliveries.release(d.requestId).catch(() => undefined);
      throw err;
    }
    return 'invoked';
  };

  router.post(
    `${LAMBDOCK_API}/storage-events/:webhook`,
    operation('StorageEvent'),
    async (req, _res, next) => {
      const name = typeof req.params.webhook === 'string' ? req.params.webhook : '';
      const hook = (await deps.sources.view.current()).webhooks.get(name);
      const secret = presentedSecret(req.headers, req.query);
      if (hook === undefined || !secretHashMatches(hook.secretSha256, secret)) {
        count(hook === undefined ? UNKNOWN_WEBHOOK_LABEL : name, 'rejected');
        throw new AppError(ERRORS.WEBHOOK_UNAUTHORIZED, 'Unauthorized');
      }
      next();
    },
    readBody,
    async (req, res) => {
      const name = String(req.params.webhook);
      const normalized = normalizeNotification(req.body, {
        region: settings.region,
        receivedAt: new Date(deps.now()),
      });
      if (!normalized.ok) {
        count(name, 'rejected');
        throw new AppError(ERRORS.INVALID_CONTENT, normalized.message);
      }
      const snapshot = await deps.sources.view.current();
      const triggers = snapshot.triggers.filter((t) => t.webhook === name);
      const deliveries: Delivery[] = [];
      let unmatched = 0;
      for (const record of normalized.records) {
        const matched = matchingRules(triggers, record) as TriggerRecord[];
        if (matched.length === 0) unmatched += 1;
        for (const trigger of matched) {
          const requestId = uuidV5(DELIVERY_NAMESPACE, `${trigger.id}|${record.dedupeKey}`);
          deliveries.push({ trigger, record, requestId });
        }
      }
      const results = await Promise.all(deliveries.map(deliver));
      count(name, 'unmatched', unmatched);
      for (const result of ['invoked', 'duplicate', 'rejected'] as const)
        count(name, result, results.filter((r) => r === result).length);
      contextOf(res).logger.debug({ webhook: name, results }, 'storage notification');
      res.status(200).json({
        Records: normalized.records.length,
        Invocations: results.filter((r) => r === 'invoked').length,
        Duplicates: results.filter((r) => r === 'duplicate').length,
      });
    },
  );
  return router;
}
