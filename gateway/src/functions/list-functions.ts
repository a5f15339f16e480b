/**
 * @module
 * ListFunctions: pages of at most 50 functions in name order, `NextMarker` when more follow.
 * `FunctionVersion=ALL` lists `$LATEST` with a `:$LATEST`-qualified ARN (published versions
 * arrive with the versions work).
 */
import {
  CONSTRAINTS,
  DEFAULTS,
  constraintMessage,
  toFunctionConfiguration,
  validationError,
  type ArnContext,
  type FunctionConfiguration,
} from '@lambdock/core';
import type { FunctionStore } from '../deps.js';

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

function readMaxItems(raw: string | undefined, problems: string[]): number | undefined {
  if (raw === undefined) return undefined;
  const value = /^-?\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value)) {
    problems.push(constraintMessage('maxItems', raw, 'Member must be an integer'));
  } else if (value < 1) {
    problems.push(constraintMessage('maxItems', raw, CONSTRAINTS.minValue(1)));
  } else if (value > MAX_ITEMS_MODEL_MAX) {
    problems.push(constraintMessage('maxItems', raw, CONSTRAINTS.maxValue(MAX_ITEMS_MODEL_MAX)));
  }
  return value;
}

export async function listFunctions(
  registry: FunctionStore,
  ctx: ArnContext,
  query: ListFunctionsQuery,
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
  const arnQualifier = query.functionVersion === 'ALL' ? '$LATEST' : undefined;
  return {
    Functions: page.items.map((record) =>
      toFunctionConfiguration(record, {
        ...ctx,
        view: 'list',
        ...(arnQualifier ? { arnQualifier } : {}),
      }),
    ),
    ...(page.nextMarker === undefined ? {} : { NextMarker: page.nextMarker }),
  };
}
