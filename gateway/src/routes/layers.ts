/**
 * @module
 * Layers: PublishLayerVersion (`POST /2018-10-31/layers/{LayerName}/versions`, 201),
 * ListLayerVersions, GetLayerVersion, DeleteLayerVersion (204, also for a version that is not
 * there: deleting is idempotent), ListLayers and GetLayerVersionByArn (`GET
 * /2018-10-31/layers`, the latter with `find=LayerVersion&Arn=`), plus lambdock's download of
 * a version's zip, where `Content.Location` points (presigned for 10 minutes when ACCESS_KEYS
 * is set). Another account's or region's layer is one lambdock does not have. Handlers stay
 * thin: read the request (layers/layer-input.ts), call the store or the lists, render.
 */
import { Router, type Request, type Response } from 'express';
import { formatLastModified, type LayerVersionRecord } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { isKeptHere, parseLayerVersionArn } from '../functions/layers.js';
import { queryParam } from '../functions/lookup.js';
import {
  notFoundResource,
  readLayerFilter,
  readLayerName,
  readLayerVersionArn,
  readPublishLayer,
  readVersionNumber,
  refuseForeignLayer,
} from '../layers/layer-input.js';
import { listLayerVersions, listLayers, readLayerPage } from '../layers/layer-lists.js';
import { toLayerVersion } from '../layers/render-layer.js';
import { CODE_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { contextOf } from '../middleware/request-context.js';

const BASE = '/2018-10-31/layers';
const VERSIONS = `${BASE}/:layerName/versions`;
const VERSION = `${VERSIONS}/:version`;
/** How long a presigned `Content.Location` works, as AWS's does. */
const CONTENT_LOCATION_TTL_S = 600;

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

  const find = async (name: string, version: number): Promise<LayerVersionRecord> => {
    const record = await deps.layers.get(name, version);
    if (record === undefined) throw notFoundResource();
    return record;
  };

  /** The version a path names; AWS's not-found for one that is not kept here. */
  const load = async (req: Request): Promise<LayerVersionRecord> => {
    const layer = readLayerName(req.params.layerName, ctx);
    const version = readVersionNumber(req.params.version);
    if (!layer.local) throw notFoundResource();
    return find(layer.name, version);
  };

  const filterOf = (req: Request) =>
    readLayerFilter(
      queryParam(req, 'CompatibleRuntime'),
      queryParam(req, 'CompatibleArchitecture'),
    );
  const pageOf = (req: Request) =>
    readLayerPage({ maxItems: queryParam(req, 'MaxItems'), marker: queryParam(req, 'Marker') });

  router.post(
    VERSIONS,
    operation('PublishLayerVersion'),
    jsonBody(CODE_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const layer = readLayerName(req.params.layerName, ctx);
      refuseForeignLayer(layer, ctx);
      const input = await readPublishLayer(req.body);
      const record = await deps.layers.publish(
        {
          layerName: layer.name,
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
          unzippedSize: input.pkg.unzippedSize,
        },
        input.pkg.bytes,
      );
      res.status(201).json(toLayerVersion(record, ctx, location(req, res, record)));
    },
  );

  router.get(VERSIONS, operation('ListLayerVersions'), async (req, res) => {
    const layer = readLayerName(req.params.layerName, ctx);
    const filter = filterOf(req);
    const page = pageOf(req);
    res.json(
      layer.local
        ? await listLayerVersions(deps.layers, ctx, layer.name, filter, page)
        : { LayerVersions: [] },
    );
  });

  router.get(VERSION, operation('GetLayerVersion'), async (req, res) => {
    const record = await load(req);
    res.json(toLayerVersion(record, ctx, location(req, res, record)));
  });

  router.delete(VERSION, operation('DeleteLayerVersion'), async (req, res) => {
    const layer = readLayerName(req.params.layerName, ctx);
    const version = readVersionNumber(req.params.version);
    if (layer.local) await deps.layers.delete(layer.name, version);
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
    if (queryParam(req, 'find') !== 'LayerVersion') {
      contextOf(res).operation = 'ListLayers';
      const filter = filterOf(req);
      res.json(await listLayers(deps.layers, ctx, filter, pageOf(req)));
      return;
    }
    contextOf(res).operation = 'GetLayerVersionByArn';
    const layer = parseLayerVersionArn(readLayerVersionArn(queryParam(req, 'Arn')));
    if (!isKeptHere(layer, ctx)) throw notFoundResource();
    const record = await find(layer.name, layer.version);
    res.json(toLayerVersion(record, ctx, location(req, res, record)));
  });

  return router;
}
