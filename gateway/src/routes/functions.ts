/**
 * @module
 * The function resource: Create, Get, GetConfiguration, List, UpdateCode, UpdateConfiguration,
 * Delete, plus our own code download (the `Code.Location` GetFunction hands out). Handlers stay
 * thin: parse, call the functions/ modules, render.
 */
import { Router, type Request, type RequestHandler } from 'express';
import { AppError, ERRORS, toFunctionConfiguration, type FunctionRecord } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { assertUpdatable } from '../functions/conflicts.js';
import {
  CREATING_REASON,
  buildNewFunction,
  type RecordFactoryDeps,
} from '../functions/create-function.js';
import { deleteFunction } from '../functions/delete-function.js';
import { listFunctions } from '../functions/list-functions.js';
import {
  loadFunction,
  parseNameParam,
  queryParam,
  requireUnqualified,
  withArnNotFound,
} from '../functions/lookup.js';
import { prepareCreated, prepareUpdated } from '../functions/prepare-jobs.js';
import { renderGetFunction } from '../functions/render-function.js';
import {
  applyCodeUpdate,
  applyConfigUpdate,
  readCodeUpdate,
  readConfigUpdate,
} from '../functions/update-function.js';
import {
  CODE_REQUEST_LIMIT_BYTES,
  SETTINGS_REQUEST_LIMIT_BYTES,
  jsonBody,
} from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { contextOf } from '../middleware/request-context.js';
import { pendingView, snapshotLatest } from '../versions/publish-version.js';
import { resolveLookupTarget, type LookupTarget } from '../versions/resolve-target.js';

const BASE = '/2015-03-31/functions';
/** How long a presigned `Code.Location` works, as AWS's does. */
const CODE_LOCATION_TTL_S = 600;

function factoryOf(deps: ResolvedGatewayDeps): RecordFactoryDeps {
  return { ctx: deps.settings, now: deps.now, newId: deps.newId, layers: deps.layers };
}

/** Look-up operations take `$LATEST`, a version or an alias (shown as its version). */
function loadQualified(deps: ResolvedGatewayDeps, req: Request): Promise<LookupTarget> {
  const { name, qualifier } = parseNameParam(req, 'get', deps.settings);
  return resolveLookupTarget(deps, name, qualifier);
}

/** `Publish: true` on CreateFunction / UpdateFunctionCode. */
function publishRequested(body: unknown): boolean {
  return (
    typeof body === 'object' && body !== null && (body as { Publish?: unknown }).Publish === true
  );
}

function createFunction(deps: ResolvedGatewayDeps): RequestHandler {
  return async (req, res) => {
    const { record, code } = await buildNewFunction(req.body, factoryOf(deps));
    await deps.registry.create(record, code);
    await prepareCreated(deps, record);
    if (!publishRequested(req.body)) {
      res.status(201).json(toFunctionConfiguration(record, deps.settings));
      return;
    }
    // AWS answers with the new version's number under the unqualified ARN, still Pending.
    const version = await snapshotLatest(deps, record);
    const shown: FunctionRecord = { ...record, version: version.version ?? '1' };
    res.status(201).json(toFunctionConfiguration(shown, deps.settings));
  };
}

function listAll(deps: ResolvedGatewayDeps): RequestHandler {
  return async (req, res) => {
    const query = {
      maxItems: queryParam(req, 'MaxItems'),
      marker: queryParam(req, 'Marker'),
      functionVersion: queryParam(req, 'FunctionVersion'),
    };
    res.json(await listFunctions(deps.registry, deps.settings, query, deps.versions));
  };
}

function getFunction(deps: ResolvedGatewayDeps): RequestHandler {
  return async (req, res) => {
    const { record, arnQualifier } = await loadQualified(deps, req);
    const reserved = await deps.registry.getReservedConcurrency(record.name);
    const check = contextOf(res).signature;
    const verifier = deps.signatures;
    const options = {
      ...deps.settings,
      ...(arnQualifier === undefined ? {} : { arnQualifier }),
      ...(reserved === undefined ? {} : { reserved }),
      ...(check === undefined || verifier === null
        ? {}
        : {
            presign: (origin: string, pathAndQuery: string) =>
              verifier.presignGet(check, origin, pathAndQuery, CODE_LOCATION_TTL_S),
          }),
    };
    res.json(renderGetFunction(req, record, options));
  };
}

function getConfiguration(deps: ResolvedGatewayDeps): RequestHandler {
  return async (req, res) => {
    const { record, arnQualifier } = await loadQualified(deps, req);
    const options = { ...deps.settings, ...(arnQualifier === undefined ? {} : { arnQualifier }) };
    res.json(toFunctionConfiguration(record, options));
  };
}

function updateCode(deps: ResolvedGatewayDeps): RequestHandler {
  return async (req, res) => {
    const ctx = deps.settings;
    const name = requireUnqualified(parseNameParam(req, 'manage', ctx));
    const current = await loadFunction(deps.registry, ctx, name);
    const update = await readCodeUpdate(req.body, current);
    if (update.dryRun) {
      assertUpdatable(current, update.revisionId, ctx);
      res.json(toFunctionConfiguration(applyCodeUpdate(current, update, factoryOf(deps)), ctx));
      return;
    }
    const { pkg } = update;
    const code = 'bytes' in pkg ? { key: pkg.codeKey, bytes: pkg.bytes } : undefined;
    const next = await deps.registry
      .update(name, (cur) => applyCodeUpdate(cur, update, factoryOf(deps)), code)
      .catch(withArnNotFound(ctx, name));
    await prepareUpdated(deps, next);
    if (!publishRequested(req.body)) {
      res.json(toFunctionConfiguration(next, ctx));
      return;
    }
    // AWS answers with the new version, Pending while the update settles.
    const version = await snapshotLatest(deps, next);
    res.json(
      toFunctionConfiguration(pendingView(version, CREATING_REASON), {
        ...ctx,
        ...(version.version === undefined ? {} : { arnQualifier: version.version }),
      }),
    );
  };
}

function updateConfiguration(deps: ResolvedGatewayDeps): RequestHandler {
  return async (req, res) => {
    const ctx = deps.settings;
    const name = requireUnqualified(parseNameParam(req, 'manage', ctx));
    const current = await loadFunction(deps.registry, ctx, name);
    const update = await readConfigUpdate(req.body, current, factoryOf(deps));
    const next = await deps.registry
      .update(name, (cur) => applyConfigUpdate(cur, update, factoryOf(deps)))
      .catch(withArnNotFound(ctx, name));
    await prepareUpdated(deps, next);
    res.json(toFunctionConfiguration(next, ctx));
  };
}

function removeFunction(deps: ResolvedGatewayDeps): RequestHandler {
  return async (req, res) => {
    await deleteFunction(deps, parseNameParam(req, 'delete', deps.settings));
    res.status(204).end();
  };
}

function downloadCode(deps: ResolvedGatewayDeps): RequestHandler {
  return async (req, res) => {
    const { record } = await loadQualified(deps, req);
    const wanted = queryParam(req, 'CodeSha256');
    const bytes =
      record.codeKey === undefined ? undefined : await deps.registry.getCode(record.codeKey);
    if (bytes === undefined || (wanted !== undefined && wanted !== record.codeSha256)) {
      throw new AppError(
        ERRORS.RESOURCE_NOT_FOUND,
        `No zip package with that CodeSha256 is stored for ${record.name}.`,
      );
    }
    res.status(200).type('application/zip').setHeader('Content-Length', bytes.length);
    res.end(bytes);
  };
}

export function createFunctionsRouter(deps: ResolvedGatewayDeps): Router {
  const codeBody = jsonBody(CODE_REQUEST_LIMIT_BYTES);
  const settingsBody = jsonBody(SETTINGS_REQUEST_LIMIT_BYTES);
  const router = Router();
  router.post(BASE, operation('CreateFunction'), codeBody, createFunction(deps));
  router.get(BASE, operation('ListFunctions'), listAll(deps));
  router.get(`${BASE}/:name`, operation('GetFunction'), getFunction(deps));
  router.get(
    `${BASE}/:name/configuration`,
    operation('GetFunctionConfiguration'),
    getConfiguration(deps),
  );
  router.put(`${BASE}/:name/code`, operation('UpdateFunctionCode'), codeBody, updateCode(deps));
  router.put(
    `${BASE}/:name/configuration`,
    operation('UpdateFunctionConfiguration'),
    settingsBody,
    updateConfiguration(deps),
  );
  router.delete(`${BASE}/:name`, operation('DeleteFunction'), removeFunction(deps));
  // Not an AWS operation: where GetFunction's Code.Location points.
  router.get(`${BASE}/:name/code`, operation('GetFunctionCodeContent'), downloadCode(deps));
  return router;
}
