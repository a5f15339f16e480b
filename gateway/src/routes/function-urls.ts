/**
 * @module
 * Function URL configuration: Create / Get / Update / Delete (`/2021-10-31/functions/{name}/url`)
 * and List (`.../urls`), with AWS's status codes, messages and key sets. A qualified URL belongs
 * to an alias, which must exist when the URL is created or updated.
 */
import { Router, type Request } from 'express';
import {
  AppError,
  ERRORS,
  functionArn,
  parseFunctionName,
  type FunctionUrlRecord,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { queryParam } from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { bodyObject } from '../sources/target-input.js';
import {
  readUrlSettings,
  renderUrlConfig,
  urlIdFor,
  urlQualifier,
  type UrlRenderContext,
} from '../sources/url-input.js';

const URL_PATH = '/2021-10-31/functions/:name/url';
const NO_SUCH_FUNCTION = 'Function does not exist';
const NO_SUCH_RESOURCE = 'The resource you requested does not exist.';

interface UrlTarget {
  name: string;
  qualifier?: string;
  urlId: string;
}

export function createFunctionUrlsRouter(deps: ResolvedGatewayDeps, publicUrl: string): Router {
  const router = Router();
  const ctx: UrlRenderContext = { ...deps.settings, publicUrl };
  const { stores, view } = deps.sources;

  const target = (req: Request): UrlTarget => {
    const raw = typeof req.params.name === 'string' ? req.params.name : undefined;
    const parsed = parseFunctionName(raw, { ...ctx, rule: 'manage' });
    const qualifier = urlQualifier(parsed.qualifier, queryParam(req, 'Qualifier'));
    return {
      name: parsed.name,
      ...(qualifier === undefined ? {} : { qualifier }),
      urlId: urlIdFor(ctx, parsed.name, qualifier),
    };
  };
  /** The function (and the alias a qualified URL names) must exist. */
  const requireFunction = async (t: UrlTarget, message: string): Promise<void> => {
    const record = await deps.registry.get(t.name);
    const alias =
      t.qualifier === undefined ? undefined : await deps.versions.getAlias(t.name, t.qualifier);
    if (record === undefined || (t.qualifier !== undefined && alias === undefined))
      throw new AppError(ERRORS.FUNCTION_NOT_FOUND, message);
  };
  const existing = async (t: UrlTarget): Promise<FunctionUrlRecord> => {
    const url = await stores.urls.get(t.urlId);
    if (url === undefined) throw new AppError(ERRORS.FUNCTION_NOT_FOUND, NO_SUCH_RESOURCE);
    return url;
  };

  router.post(
    URL_PATH,
    operation('CreateFunctionUrlConfig'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const t = target(req);
      const settings = readUrlSettings(bodyObject(req.body), true);
      await requireFunction(t, NO_SUCH_FUNCTION);
      const now = new Date(deps.now()).toISOString();
      const record: FunctionUrlRecord = {
        urlId: t.urlId,
        functionName: t.name,
        ...(t.qualifier === undefined ? {} : { qualifier: t.qualifier }),
        authType: settings.authType ?? 'NONE',
        ...(settings.cors === undefined ? {} : { cors: settings.cors }),
        invokeMode: settings.invokeMode ?? 'BUFFERED',
        invokeModeSet: settings.invokeMode !== undefined,
        creationTime: now,
        lastModifiedTime: now,
      };
      if (!(await stores.urls.create(record.urlId, record))) {
        throw new AppError(
          ERRORS.SOURCE_CONFLICT,
          `Failed to create function url config for [functionArn = ${functionArn(ctx, t.name, t.qualifier)}]. Error message:  FunctionUrlConfig exists for this Lambda function`,
        );
      }
      view.invalidate();
      res.status(201).json(renderUrlConfig(ctx, record, 'create'));
    },
  );

  router.get(URL_PATH, operation('GetFunctionUrlConfig'), async (req, res) => {
    const url = await existing(target(req));
    res.json(renderUrlConfig(ctx, url, 'get'));
  });

  router.put(
    URL_PATH,
    operation('UpdateFunctionUrlConfig'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const t = target(req);
      const settings = readUrlSettings(bodyObject(req.body), false);
      await requireFunction(t, NO_SUCH_FUNCTION);
      const updated = await stores.urls.update(t.urlId, (current) => {
        const cors = settings.cors ?? current.cors;
        return {
          ...current,
          ...(cors === undefined ? {} : { cors }),
          authType: settings.authType ?? current.authType,
          invokeMode: settings.invokeMode ?? current.invokeMode,
          invokeModeSet: current.invokeModeSet || settings.invokeMode !== undefined,
          lastModifiedTime: new Date(deps.now()).toISOString(),
        };
      });
      if (updated === undefined) throw new AppError(ERRORS.FUNCTION_NOT_FOUND, NO_SUCH_RESOURCE);
      view.invalidate();
      res.json(renderUrlConfig(ctx, updated, 'update'));
    },
  );

  router.delete(URL_PATH, operation('DeleteFunctionUrlConfig'), async (req, res) => {
    const t = target(req);
    if (!(await stores.urls.delete(t.urlId)))
      throw new AppError(ERRORS.FUNCTION_NOT_FOUND, NO_SUCH_RESOURCE);
    view.invalidate();
    res.status(204).end();
  });

  router.get(`${URL_PATH}s`, operation('ListFunctionUrlConfigs'), async (req, res) => {
    const raw = typeof req.params.name === 'string' ? req.params.name : undefined;
    const { name } = parseFunctionName(raw, { ...ctx, rule: 'manage' });
    if ((await deps.registry.get(name)) === undefined)
      throw new AppError(ERRORS.FUNCTION_NOT_FOUND, NO_SUCH_FUNCTION);
    const all = (await stores.urls.list()).filter((u) => u.functionName === name);
    all.sort((a, b) => (a.qualifier ?? '').localeCompare(b.qualifier ?? ''));
    const max = Math.min(Math.max(Number(queryParam(req, 'MaxItems') ?? 50) || 50, 1), 50);
    const marker = queryParam(req, 'Marker');
    const start =
      marker === undefined ? 0 : Math.max(0, all.findIndex((u) => u.urlId === marker) + 1);
    const page = all.slice(start, start + max);
    const last = page[page.length - 1];
    res.json({
      FunctionUrlConfigs: page.map((u) => renderUrlConfig(ctx, u, 'get')),
      ...(start + max < all.length && last !== undefined ? { NextMarker: last.urlId } : {}),
    });
  });

  return router;
}
