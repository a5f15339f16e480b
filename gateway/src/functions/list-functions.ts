/**
 * @module
 * ListFunctions: pages of at most 50 functions in name order, `NextMarker` when more follow.
 * `FunctionVersion=ALL` lists each function's `$LATEST` with a `:$LATEST`-qualified ARN followed
 * by its published versions (a page holds up to 50 functions with all their versions).
 */
import {
  CONSTRAINTS,
  DEFAULTS,
  constraintMessage,
  toFunctionConfiguration,
  validationError,
  type ArnContext,
  type FunctionConfiguration,
  type FunctionRecord,
} from '@lambdock/core';
import type { FunctionStore, VersionStore } from '../deps.js';

const MAX_ITEMS_MODEL_MAX = 10_000;

export interface ListFunctionsQuery {
  maxItems?: string;
  marker?: string;
  functionVersion?: string;
}

export interface ListFunctionsResponse {
  Functions: FunctionConfiguration[];
  NextMarker?: string;
}

export function readMaxItems(
  raw: string | undefined,
  problems: string[],
  modelMax = MAX_ITEMS_MODEL_MAX,
): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value)) {
    problems.push(constraintMessage('maxItems', raw, 'Member must be an integer'));
  } else if (value < 1) {
    problems.push(constraintMessage('maxItems', raw, CONSTRAINTS.minValue(1)));
  } else if (value > modelMax) {
    problems.push(constraintMessage('maxItems', raw, CONSTRAINTS.maxValue(modelMax)));
  }
  return value;
}

export async function listFunctions(
  registry: FunctionStore,
  ctx: ArnContext,
  query: ListFunctionsQuery,
  versions: Pick<VersionStore, 'listVersions'>,
): Promise<ListFunctionsResponse> {
  const problems: string[] = [];
  const maxItems = readMaxItems(query.maxItems, problems);
  if (query.functionVersion !== undefined && query.functionVersion !== 'ALL') {
    problems.push(
      constraintMessage('functionVersion', query.functionVersion, CONSTRAINTS.enumValue(['ALL'])),
    );
  }
  if (problems.length > 0) throw validationError(problems);
  const pageSize = Math.min(maxItems ?? DEFAULTS.LIST_PAGE_MAX_ITEMS, DEFAULTS.LIST_PAGE_MAX_ITEMS);
  const page = await registry.list(pageSize, query.marker === '' ? undefined : query.marker);
  const all = query.functionVersion === 'ALL';
  const records: FunctionRecord[] = [];
  for (const latest of page.items) {
    records.push(latest);
    if (all) records.push(...(await versions.listVersions(latest.name)));
  }
  return {
    Functions: records.map((record) =>
      toFunctionConfiguration(record, {
        ...ctx,
        view: 'list',
        ...(all ? { arnQualifier: record.version ?? '$LATEST' } : {}),
      }),
    ),
    ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
  };
}
