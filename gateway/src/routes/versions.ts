/**
 * @module
 * Published versions: PublishVersion (`POST .../versions`, 201) and ListVersionsByFunction
 * (`GET .../versions`: `$LATEST` first with a `:$LATEST` ARN, then the versions in order, in
 * the list view that leaves out State and LastUpdateStatus).
 */
import { Router } from 'express';
import { toFunctionConfiguration } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import {
  loadFunction,
  parseNameParam,
  queryParam,
  requireUnqualified,
} from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { pageOf } from '../versions/page.js';
import { publishVersion, readPublishRequest } from '../versions/publish-version.js';

const VERSIONS_PATH = '/2015-03-31/functions/:name/versions';

export function createVersionsRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;

  router.post(
    VERSIONS_PATH,
    operation('PublishVersion'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const name = requireUnqualified(parseNameParam(req, 'manage', ctx));
      const request = readPublishRequest(req.body);
      const version = await publishVersion(deps, name, request);
      res
        .status(201)
        .json(toFunctionConfiguration(version, { ...ctx, arnQualifier: version.version }));
    },
  );

  router.get(VERSIONS_PATH, operation('ListVersionsByFunction'), async (req, res) => {
    const name = requireUnqualified(parseNameParam(req, 'manage', ctx));
    const latest = await loadFunction(deps.registry, ctx, name);
    const all = [latest, ...(await deps.versions.listVersions(name))];
    const page = pageOf(all, (r) => r.version ?? '$LATEST', {
      maxItems: queryParam(req, 'MaxItems'),
      marker: queryParam(req, 'Marker'),
    });
    res.json({
      Versions: page.items.map((record) =>
        toFunctionConfiguration(record, {
          ...ctx,
          view: 'list',
          arnQualifier: record.version ?? '$LATEST',
        }),
      ),
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    });
  });

  return router;
}
