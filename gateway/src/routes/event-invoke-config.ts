/**
 * @module
 * Asynchronous invocation settings per function and qualifier:
 * `/2019-09-25/functions/{name}/event-invoke-config` with PUT (Put, replaces), POST (Update,
 * merges), GET and DELETE (204), and `.../event-invoke-config/list`. Status codes, key sets and
 * messages are AWS's (aws-oracle event_invoke_config and the *FunctionEventInvokeConfig errors).
 * The qualifier is stored as given (`$LATEST` when absent) and Put requires it to exist; workers
 * read it per event.
 */
import { Router, type Request } from 'express';
import {
  AppError,
  CONSTRAINTS,
  ERRORS,
  constraintMessage,
  functionArn,
  isVersionNumber,
  validationError,
  type ArnContext,
} from '@lambdock/core';
import { checkDestinations } from '../async/destination-check.js';
import { readEventConfigInput } from '../async/event-config-input.js';
import { mergeConfig, renderEventConfig, replaceConfig } from '../async/event-config-view.js';
import type { ResolvedGatewayDeps } from '../deps.js';
import { parseNameParam, queryParam } from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';

const CONFIG_PATH = '/2019-09-25/functions/:name/event-invoke-config';
const LIST_MAX_ITEMS = 50;

interface Target {
  name: string;
  qualifier: string;
}

function target(req: Request, ctx: ArnContext): Target {
  const parsed = parseNameParam(req, 'manage', ctx);
  return { name: parsed.name, qualifier: parsed.qualifier ?? '$LATEST' };
}

const noFunction = (): AppError =>
  new AppError(ERRORS.FUNCTION_NOT_FOUND, "The function doesn't exist.");

function noConfig(ctx: ArnContext, t: Target): AppError {
  return new AppError(
    ERRORS.RESOURCE_NOT_FOUND,
    `The function ${functionArn(ctx, t.name, t.qualifier)} doesn't have an EventInvokeConfig`,
  );
}

function readMaxItems(raw: string | undefined): number {
  if (raw === undefined) return LIST_MAX_ITEMS;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value) || value < 1 || value > LIST_MAX_ITEMS) {
    const constraint = Number.isNaN(value)
      ? 'Member must be an integer'
      : value < 1
        ? CONSTRAINTS.minValue(1)
        : CONSTRAINTS.maxValue(LIST_MAX_ITEMS);
    throw validationError([constraintMessage('maxItems', raw, constraint)]);
  }
  return value;
}

export function createEventInvokeConfigRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;
  const { configs } = deps.async;
  const requireFunction = async (name: string): Promise<void> => {
    if ((await deps.registry.get(name)) === undefined) throw noFunction();
  };
  /** Put names a version or alias that must exist, as AWS's does; `$LATEST` always does. */
  const requireTarget = async (t: Target): Promise<void> => {
    await requireFunction(t.name);
    if (t.qualifier === '$LATEST') return;
    const found = isVersionNumber(t.qualifier)
      ? await deps.versions.getVersion(t.name, t.qualifier)
      : await deps.versions.getAlias(t.name, t.qualifier);
    if (found === undefined) throw noFunction();
  };

  router.put(
    CONFIG_PATH,
    operation('PutFunctionEventInvokeConfig'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const t = target(req, ctx);
      const input = readEventConfigInput(req.body);
      await requireTarget(t);
      await checkDestinations(input, t.name, ctx, deps.registry);
      const config = replaceConfig(input, {
        functionName: t.name,
        qualifier: t.qualifier,
        nowMs: deps.now(),
      });
      await configs.put(config);
      res.json(renderEventConfig(config, ctx));
    },
  );

  router.post(
    CONFIG_PATH,
    operation('UpdateFunctionEventInvokeConfig'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const t = target(req, ctx);
      const input = readEventConfigInput(req.body);
      await requireFunction(t.name);
      const current = await configs.get(t.name, t.qualifier);
      if (current === undefined) throw noConfig(ctx, t);
      await checkDestinations(input, t.name, ctx, deps.registry);
      const config = mergeConfig(current, input, deps.now());
      await configs.put(config);
      res.json(renderEventConfig(config, ctx));
    },
  );

  router.get(CONFIG_PATH, operation('GetFunctionEventInvokeConfig'), async (req, res) => {
    const t = target(req, ctx);
    const config = await configs.get(t.name, t.qualifier);
    if (config === undefined) throw noConfig(ctx, t);
    res.json(renderEventConfig(config, ctx));
  });

  router.delete(CONFIG_PATH, operation('DeleteFunctionEventInvokeConfig'), async (req, res) => {
    const t = target(req, ctx);
    if (!(await configs.delete(t.name, t.qualifier))) throw noConfig(ctx, t);
    res.status(204).end();
  });

  router.get(
    `${CONFIG_PATH}/list`,
    operation('ListFunctionEventInvokeConfigs'),
    async (req, res) => {
      const { name } = parseNameParam(req, 'manage', ctx);
      const maxItems = readMaxItems(queryParam(req, 'MaxItems'));
      const marker = queryParam(req, 'Marker');
      await requireFunction(name);
      const all = (await configs.list(name)).filter(
        (c) => marker === undefined || c.qualifier > marker,
      );
      const page = all.slice(0, maxItems);
      const last = page[page.length - 1];
      res.json({
        FunctionEventInvokeConfigs: page.map((c) => renderEventConfig(c, ctx)),
        ...(all.length > maxItems && last !== undefined ? { NextMarker: last.qualifier } : {}),
      });
    },
  );

  return router;
}
