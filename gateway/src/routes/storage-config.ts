/**
 * @module
 * Storage webhook and trigger management under `/lambdock/v1/webhooks` and
 * `/lambdock/v1/storage-triggers`. A webhook's secret is returned once, by CreateWebhook (a
 * generated one unless the caller chose it); only its hash is stored.
 */
import { Router, type Request } from 'express';
import { AppError, ERRORS } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import {
  newSecret,
  newWebhookRecord,
  readSecret,
  readTrigger,
  readWebhookName,
  renderTrigger,
  renderWebhook,
} from '../sources/storage-input.js';
import { bodyObject } from '../sources/target-input.js';
import { LAMBDOCK_API } from './route-config.js';

function param(req: Request, name: string): string {
  const value = req.params[name];
  return typeof value === 'string' ? value : '';
}

export function createStorageConfigRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const { stores, view } = deps.sources;
  const ctx = deps.settings;
  const nowIso = (): string => new Date(deps.now()).toISOString();
  const settings = jsonBody(SETTINGS_REQUEST_LIMIT_BYTES);

  router.post(
    `${LAMBDOCK_API}/webhooks`,
    operation('CreateWebhook'),
    settings,
    async (req, res) => {
      const body = bodyObject(req.body);
      const name = readWebhookName(body.Name);
      const secret = readSecret(body.Secret) ?? newSecret();
      const hook = newWebhookRecord(name, secret, 'api', nowIso());
      if (!(await stores.webhooks.create(name, hook)))
        throw new AppError(ERRORS.SOURCE_CONFLICT, `Webhook ${name} already exists.`);
      view.invalidate();
      res.status(201).json(renderWebhook(hook, secret));
    },
  );

  router.get(`${LAMBDOCK_API}/webhooks`, operation('ListWebhooks'), async (_req, res) => {
    res.json({ Items: (await stores.webhooks.list()).map((h) => renderWebhook(h)) });
  });

  router.get(`${LAMBDOCK_API}/webhooks/:name`, operation('GetWebhook'), async (req, res) => {
    const hook = await stores.webhooks.get(param(req, 'name'));
    if (hook === undefined)
      throw new AppError(
        ERRORS.RESOURCE_NOT_FOUND,
        `Webhook ${param(req, 'name')} does not exist.`,
      );
    res.json(renderWebhook(hook));
  });

  router.delete(`${LAMBDOCK_API}/webhooks/:name`, operation('DeleteWebhook'), async (req, res) => {
    const name = param(req, 'name');
    const inUse = (await stores.triggers.list()).filter((t) => t.webhook === name);
    if (inUse.length > 0) {
      throw new AppError(
        ERRORS.SOURCE_CONFLICT,
        `Webhook ${name} is used by triggers ${inUse.map((t) => t.id).join(', ')}; delete them first.`,
      );
    }
    if (!(await stores.webhooks.delete(name)))
      throw new AppError(ERRORS.RESOURCE_NOT_FOUND, `Webhook ${name} does not exist.`);
    view.invalidate();
    res.status(204).end();
  });

  router.post(
    `${LAMBDOCK_API}/storage-triggers`,
    operation('CreateStorageTrigger'),
    settings,
    async (req, res) => {
      const body = bodyObject(req.body);
      const id = typeof body.Id === 'string' ? body.Id : deps.newId();
      const trigger = readTrigger(body, ctx, id, 'api', nowIso());
      if ((await stores.webhooks.get(trigger.webhook)) === undefined)
        throw new AppError(ERRORS.RESOURCE_NOT_FOUND, `Webhook ${trigger.webhook} does not exist.`);
      if (!(await stores.triggers.create(id, trigger)))
        throw new AppError(ERRORS.SOURCE_CONFLICT, `Storage trigger ${id} already exists.`);
      view.invalidate();
      res.status(201).json(renderTrigger(trigger));
    },
  );

  router.get(
    `${LAMBDOCK_API}/storage-triggers`,
    operation('ListStorageTriggers'),
    async (_req, res) => {
      res.json({ Items: (await stores.triggers.list()).map(renderTrigger) });
    },
  );

  router.get(
    `${LAMBDOCK_API}/storage-triggers/:id`,
    operation('GetStorageTrigger'),
    async (req, res) => {
      const trigger = await stores.triggers.get(param(req, 'id'));
      if (trigger === undefined)
        throw new AppError(
          ERRORS.RESOURCE_NOT_FOUND,
          `Storage trigger ${param(req, 'id')} does not exist.`,
        );
      res.json(renderTrigger(trigger));
    },
  );

  router.delete(
    `${LAMBDOCK_API}/storage-triggers/:id`,
    operation('DeleteStorageTrigger'),
    async (req, res) => {
      if (!(await stores.triggers.delete(param(req, 'id'))))
        throw new AppError(
          ERRORS.RESOURCE_NOT_FOUND,
          `Storage trigger ${param(req, 'id')} does not exist.`,
        );
      view.invalidate();
      res.status(204).end();
    },
  );

  return router;
}
