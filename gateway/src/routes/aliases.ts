/**
 * @module
 * Aliases: CreateAlias (201), GetAlias, UpdateAlias, DeleteAlias (204, also for an alias that
 * does not exist, as AWS answers) and ListAliases (optionally only those on one
 * `FunctionVersion`). Deleting an alias deletes its provisioned concurrency config, its
 * resource-based policy and its event invoke config. Its function URL outlives it, as AWS's
 * does: the URL answers 403 until an alias of that name is created again, or
 * DeleteFunctionUrlConfig removes it.
 */
import { Router, type Request } from 'express';
import { validationError } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { Problems, readString } from '../functions/field-readers.js';
import {
  loadFunction,
  parseNameParam,
  queryParam,
  requireUnqualified,
} from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { readAliasInput, readAliasName } from '../versions/alias-input.js';
import { aliasNotFound, createAlias, renderAlias, updateAlias } from '../versions/alias-ops.js';
import { pageOf } from '../versions/page.js';

const ALIASES_PATH = '/2015-03-31/functions/:name/aliases';
const ALIAS_PATH = `${ALIASES_PATH}/:alias`;
const FUNCTION_VERSION = { source: String.raw`(\$LATEST|[0-9]+)`, re: /^(\$LATEST|\d+)$/ };

export function createAliasesRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;
  const functionOf = (req: Request): string =>
    requireUnqualified(parseNameParam(req, 'manage', ctx));
  const aliasOf = (req: Request): string => readAliasName(String(req.params.alias));
  const body = jsonBody(SETTINGS_REQUEST_LIMIT_BYTES);

  router.post(ALIASES_PATH, operation('CreateAlias'), body, async (req, res) => {
    const name = functionOf(req);
    const alias = await createAlias(deps, name, readAliasInput(req.body, 'create'));
    res.status(201).json(renderAlias(ctx, alias));
  });

  router.get(ALIASES_PATH, operation('ListAliases'), async (req, res) => {
    const name = functionOf(req);
    const problems = new Problems();
    const version = readString(problems, 'functionVersion', queryParam(req, 'FunctionVersion'), {
      minLength: 1,
      maxLength: 1024,
      pattern: FUNCTION_VERSION,
    });
    if (problems.messages.length > 0) throw validationError(problems.messages);
    await loadFunction(deps.registry, ctx, name);
    const all = (await deps.versions.listAliases(name)).filter(
      (a) =>
        version === undefined ||
        a.functionVersion === version ||
        a.additionalVersionWeights?.[version] !== undefined,
    );
    const page = pageOf(all, (a) => a.name, {
      maxItems: queryParam(req, 'MaxItems'),
      marker: queryParam(req, 'Marker'),
    });
    res.json({
      Aliases: page.items.map((a) => renderAlias(ctx, a)),
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    });
  });

  router.get(ALIAS_PATH, operation('GetAlias'), async (req, res) => {
    const name = functionOf(req);
    const aliasName = aliasOf(req);
    await loadFunction(deps.registry, ctx, name);
    const alias = await deps.versions.getAlias(name, aliasName);
    if (alias === undefined) throw aliasNotFound(ctx, name, aliasName, 'get');
    res.json(renderAlias(ctx, alias));
  });

  router.put(ALIAS_PATH, operation('UpdateAlias'), body, async (req, res) => {
    const name = functionOf(req);
    const aliasName = aliasOf(req);
    const alias = await updateAlias(deps, name, aliasName, readAliasInput(req.body, 'update'));
    res.json(renderAlias(ctx, alias));
  });

  router.delete(ALIAS_PATH, operation('DeleteAlias'), async (req, res) => {
    const name = functionOf(req);
    const aliasName = aliasOf(req);
    await loadFunction(deps.registry, ctx, name);
    await deps.versions.deleteAlias(name, aliasName);
    // What was set on it goes with it (the workers release the provisioned share), so an alias
    // made again under the name starts clean; only its function URL stays, as AWS's does.
    await Promise.all([
      deps.provisioned.delete(name, aliasName),
      deps.policies.delete(name, aliasName),
      deps.async.configs.delete(name, aliasName),
    ]);
    res.status(204).end();
  });

  return router;
}
