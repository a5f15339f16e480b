/**
 * @module
 * Layers: PublishLayerVersion (`POST /2018-10-31/layers/{LayerName}/versions`, 201),
 * ListLayerVersions, GetLayerVersion, DeleteLayerVersion (204, also for a version that does not
 * exist, as AWS answers), ListLayers and GetLayerVersionByArn (`GET /2018-10-31/layers`, the
 * latter with `find=LayerVersion&Arn=`), plus lambdock's download of a version's zip, where
 * `Content.Location` points (presigned for 10 minutes when ACCESS_KEYS is set). Handlers stay
 * thin: read the request (layers/layer-input.ts), call the store, render.
 */
import { Router, type Request, type Response } from 'express';
import {
  formatLastModified,
  layerArn,
  validationError,
  type LayerVersionRecord,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { queryParam } from '../functions/lookup.js';
import {
  notFoundResource,
  readLayerFilter,
  readLayerName,
  readPublishLayer,
  readVersionNumber,
} from '../layers/layer-input.js';
import { matchesFilter, toLayerVersion, toLayerVersionItem } from '../layers/render-layer.js';
import { CODE_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { contextOf } from '../middleware/request-context.js';
import { pageOf } from '../versions/page.js';

const BASE = '/2018-10-31/layers';
const VERSIONS = `${BASE}/:layerName/versions`;
const VERSION = `${VERSIONS}/:version`;
/** How long a presigned `Content.Location` works, as AWS's does. */
const CONTENT_LOCATION_TTL_S = 600;

/** AWS's model pattern for GetLayerVersionByArn's `Arn`. */
const LAYER_VERSION_ARN = String.raw`(arn:(aws[a-zA-Z-]*)?:lambda:(eusc-)?[a-z]{2}((-gov)|(-iso([a-z]?)))?-[a-z]+-\d{1}:\d{12}:layer:[a-zA-Z0-9-_]+:[0-9]+)|(arn:[a-zA-Z0-9-]+:lambda:::awslayer:[a-zA-Z0-9-_]+)`;
const LAYER_VERSION_ARN_RE = new RegExp(`^(?:${LAYER_VERSION_ARN})$`);

export function createLayersRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;

  const location = (req: Request, res: Response, record: LayerVersionRecord): string => {
    const path = `${BASE}/${encodeURIComponent(record.layerName)}/versions/${record.version}/content`;
    const origin = `${req.protocol}://${req.get('host') ?? 'localhost'}`;
    const check = contextOf(res).signature;
    return check === undefined || deps.signatures === null
      ? `${origin}${path}`
      : deps.signatures.presignGet(check, origin, path, CONTENT_LOCATION_TTL_S);
  };

  const load = async (req: Request): Promise<LayerVersionRecord> => {
    const name = readLayerName(req.params.layerName, ctx);
    const version = readVersionNumber(req.params.version);
    const record = await deps.layers.get(name, version);
    if (record === undefined) throw notFoundResource();
    return record;
  };

  router.post(
    VERSIONS,
    operation('PublishLayerVersion'),
    jsonBody(CODE_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const layerName = readLayerName(req.params.layerName, ctx);
      const input = await readPublishLayer(req.body);
      const record = await deps.layers.publish(
        {
          layerName,
          description: input.description,
          createdDate: formatLastModified(deps.now()),
          ...(input.compatibleRuntimes === undefined
            ? {}
            : { compatibleRuntimes: input.compatibleRuntimes }),
          ...(input.compatibleArchitectures === undefined
            ? {}
            : { compatibleArchitectures: input.compatibleArchitectures }),
          ...(input.licenseInfo === undefined ? {} : { licenseInfo: input.licenseInfo }),
          codeKey: input.pkg.codeKey,
          codeSha256: input.pkg.codeSha256,
          codeSize: input.pkg.codeSize,
        },
        input.pkg.bytes,
      );
      res.status(201).json(toLayerVersion(record, ctx, location(req, res, record)));
    },
  );

  router.get(VERSIONS, operation('ListLayerVersions'), async (req, res) => {
    const name = readLayerName(req.params.layerName, ctx);
    const filter = readLayerFilter(
      queryParam(req, 'CompatibleRuntime'),
      queryParam(req, 'CompatibleArchitecture'),
    );
    const all = (await deps.layers.listVersions(name)).filter((r) => matchesFilter(r, filter));
    const page = pageOf(all, (r) => String(r.version), {
      maxItems: queryParam(req, 'MaxItems'),
      marker: queryParam(req, 'Marker'),
    });
    res.json({
      LayerVersions: page.items.map((r) => toLayerVersionItem(r, ctx)),
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    });
  });

  router.get(VERSION, operation('GetLayerVersion'), async (req, res) => {
    const record = await load(req);
    res.json(toLayerVersion(record, ctx, location(req, res, record)));
  });

  router.delete(VERSION, operation('DeleteLayerVersion'), async (req, res) => {
    const name = readLayerName(req.params.layerName, ctx);
    await deps.layers.delete(name, readVersionNumber(req.params.version));
    res.status(204).end();
  });

  // Not an AWS operation: where Content.Location points.
  router.get(`${VERSION}/content`, operation('GetLayerVersionContent'), async (req, res) => {
    const record = await load(req);
    const bytes = await deps.registry.getCode(record.codeKey);
    if (bytes === undefined) throw notFoundResource();
    res.status(200).type('application/zip').setHeader('Content-Length', bytes.length);
    res.end(bytes);
  });

  router.get(BASE, async (req, res) => {
    if (queryParam(req, 'find') === 'LayerVersion') {
      contextOf(res).operation = 'GetLayerVersionByArn';
      const arn = queryParam(req, 'Arn') ?? '';
      if (!LAYER_VERSION_ARN_RE.test(arn) || arn.length > 140) {
        throw validationError([
          `Value '${arn}' at 'arn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${LAYER_VERSION_ARN}`,
        ]);
      }
      const parts = arn.split(':');
      const record =
        parts[5] === 'awslayer' || parts[3] !== ctx.region || parts[4] !== ctx.accountId
          ? undefined
          : await deps.layers.get(parts[6] ?? '', Number(parts[7]));
      if (record === undefined) throw notFoundResource();
      res.json(toLayerVersion(record, ctx, location(req, res, record)));
      return;
    }
    contextOf(res).operation = 'ListLayers';
    const filter = readLayerFilter(
      queryParam(req, 'CompatibleRuntime'),
      queryParam(req, 'CompatibleArchitecture'),
    );
    const layers: { name: string; latest: LayerVersionRecord }[] = [];
    for (const name of await deps.layers.names()) {
      const latest = (await deps.layers.listVersions(name)).find((r) => matchesFilter(r, filter));
      if (latest !== undefined) layers.push({ name, latest });
    }
    const page = pageOf(layers, (l) => l.name, {
      maxItems: queryParam(req, 'MaxItems'),
      marker: queryParam(req, 'Marker'),
    });
    res.json({
      Layers: page.items.map((l) => ({
        LayerName: l.name,
        LayerArn: layerArn(ctx, l.name),
        LatestMatchingVersion: toLayerVersionItem(l.latest, ctx),
      })),
      ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
    });
  });

  return router;
}
