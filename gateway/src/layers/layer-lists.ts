/**
 * @module
 * ListLayerVersions (newest first) and ListLayers (by name, each with its newest version that
 * matches the filters), paged as AWS's models say: `MaxItems` 1 to 50, `Marker` the key of the
 * last item shown. A page resumes after its marker even when that item is gone since (a
 * version deleted between pages): the next version below it, the next name after it.
 */
import {
  layerArn,
  validationError,
  type ArnContext,
  type LayerVersionRecord,
} from '@lambdock/core';
import type { LayerStore } from '../deps.js';
import { readMaxItems } from '../functions/list-functions.js';
import type { LayerFilter } from './layer-input.js';
import { toLayerVersionItem, type LayerVersionItem } from './render-layer.js';

/** The layer models' ceiling on MaxItems. */
const LAYER_MAX_ITEMS = 50;

export interface LayerPageQuery {
  maxItems?: string;
  marker?: string;
}

/** Whether a version matches ListLayers' / ListLayerVersions' filters. */
function matchesFilter(record: LayerVersionRecord, filter: LayerFilter): boolean {
  if (filter.runtime !== undefined && !(record.compatibleRuntimes ?? []).includes(filter.runtime))
    return false;
  if (
    filter.architecture !== undefined &&
    !(record.compatibleArchitectures ?? []).includes(filter.architecture)
  )
    return false;
  return true;
}

/** A page's size and marker, checked before anything is read. */
export interface LayerPage {
  readonly size: number;
  readonly marker: string | undefined;
}

export function readLayerPage(query: LayerPageQuery): LayerPage {
  const problems: string[] = [];
  const size = readMaxItems(query.maxItems, problems, LAYER_MAX_ITEMS) ?? LAYER_MAX_ITEMS;
  if (problems.length > 0) throw validationError(problems);
  return { size, marker: query.marker === '' ? undefined : query.marker };
}

interface Page<T> {
  items: T[];
  nextMarker?: string;
}

function pageFrom<T>(
  all: readonly T[],
  { size, marker }: LayerPage,
  isAfterMarker: (item: T, marker: string) => boolean,
  keyOf: (item: T) => string,
): Page<T> {
  let start = 0;
  if (marker !== undefined) {
    const index = all.findIndex((item) => isAfterMarker(item, marker));
    start = index === -1 ? all.length : index;
  }
  const items = all.slice(start, start + size);
  const last = items[items.length - 1];
  return start + size < all.length && last !== undefined
    ? { items, nextMarker: keyOf(last) }
    : { items };
}

export interface ListLayerVersionsResponse {
  LayerVersions: LayerVersionItem[];
  NextMarker?: string;
}

export async function listLayerVersions(
  store: Pick<LayerStore, 'listVersions'>,
  ctx: ArnContext,
  layerName: string,
  filter: LayerFilter,
  page: LayerPage,
): Promise<ListLayerVersionsResponse> {
  const all = (await store.listVersions(layerName)).filter((r) => matchesFilter(r, filter));
  const shown = pageFrom(
    all,
    page,
    (r, marker) => r.version < Number(marker),
    (r) => String(r.version),
  );
  return {
    LayerVersions: shown.items.map((r) => toLayerVersionItem(r, ctx)),
    ...(shown.nextMarker === undefined ? {} : { NextMarker: shown.nextMarker }),
  };
}

export interface ListLayersResponse {
  Layers: { LayerName: string; LayerArn: string; LatestMatchingVersion: LayerVersionItem }[];
  NextMarker?: string;
}

export async function listLayers(
  store: Pick<LayerStore, 'names' | 'listVersions'>,
  ctx: ArnContext,
  filter: LayerFilter,
  page: LayerPage,
): Promise<ListLayersResponse> {
  const names = await store.names();
  const newest = await Promise.all(
    names.map(async (name) =>
      (await store.listVersions(name)).find((r) => matchesFilter(r, filter)),
    ),
  );
  const layers = newest.filter((r): r is LayerVersionRecord => r !== undefined);
  const shown = pageFrom(
    layers,
    page,
    (r, marker) => r.layerName > marker,
    (r) => r.layerName,
  );
  return {
    Layers: shown.items.map((r) => ({
      LayerName: r.layerName,
      LayerArn: layerArn(ctx, r.layerName),
      LatestMatchingVersion: toLayerVersionItem(r, ctx),
    })),
    ...(shown.nextMarker === undefined ? {} : { NextMarker: shown.nextMarker }),
  };
}
