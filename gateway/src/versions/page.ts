/**
 * @module
 * Paging for ListVersionsByFunction and ListAliases: `MaxItems` checked like AWS's model, at
 * most 50 per page, `Marker` is the key of the last item of the previous page, `NextMarker`
 * only when more follow.
 */
import { DEFAULTS, validationError } from '@lambdock/core';
import { readMaxItems } from '../functions/list-functions.js';

export interface PageQuery {
  maxItems?: string;
  marker?: string;
}

export interface Page<T> {
  items: T[];
  nextMarker?: string;
}

export function pageOf<T>(
  all: readonly T[],
  keyOf: (item: T) => string,
  query: PageQuery,
): Page<T> {
  const problems: string[] = [];
  const maxItems = readMaxItems(query.maxItems, problems);
  if (problems.length > 0) throw validationError(problems);
  const size = Math.min(maxItems ?? DEFAULTS.LIST_PAGE_MAX_ITEMS, DEFAULTS.LIST_PAGE_MAX_ITEMS);
  const marker = query.marker === '' ? undefined : query.marker;
  const start = marker === undefined ? 0 : all.findIndex((item) => keyOf(item) === marker) + 1;
  const items = all.slice(start, start + size);
  const last = items[items.length - 1];
  return start + size < all.length && last !== undefined
    ? { items, nextMarker: keyOf(last) }
    : { items };
}
