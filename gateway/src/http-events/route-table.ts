/**
 * @module
 * Route tables and request matching with HTTP API precedence. Among the routes whose method is
 * the request's (or `ANY`) and whose template matches the path, the most specific wins: templates
 * are compared segment by segment from the left, a literal beating `{param}` beating `{proxy+}`;
 * for the same template a method-specific route beats `ANY`. `$default` takes what is left.
 *
 * Matching is case-sensitive. A literal matches a request segment equal to it raw or decoded.
 * `{param}` needs a non-empty segment; `{proxy+}` needs at least one character and takes the rest
 * of the path, slashes included (`/a/b/` gives `b/`). Parameter values are percent-decoded, runs
 * of malformed escapes kept raw. `%2F` never splits a segment.
 */
import { percentDecode } from './percent-decode.js';
import { DEFAULT_ROUTE_KEY, parseRouteKey, type RouteSegment } from './route-key.js';

export { parseRouteKey } from './route-key.js';

export interface RouteDefinition<T> {
  readonly routeKey: string;
  readonly target: T;
}

interface CompiledRoute<T> {
  readonly routeKey: string;
  readonly method: string;
  readonly path: string;
  readonly segments: readonly RouteSegment[];
  /** Template with parameter names erased: two routes with the same shape conflict. */
  readonly shape: string;
  readonly target: T;
}

export interface RouteTable<T> {
  readonly routes: readonly CompiledRoute<T>[];
  readonly defaultTarget: { readonly target: T } | undefined;
}

export type CompileRouteTableResult<T> =
  | { readonly ok: true; readonly table: RouteTable<T> }
  | { readonly ok: false; readonly problems: readonly string[] };

export interface RouteMatch<T> {
  readonly target: T;
  readonly routeKey: string;
  /** The template path (`/items/{id}`), or `$default`. */
  readonly resource: string;
  readonly pathParameters: Record<string, string> | null;
}

const RANK = { literal: 0, param: 1, greedy: 2 } as const;

function shapeOf(segments: readonly RouteSegment[]): string {
  return segments
    .map((s) => (s.kind === 'literal' ? s.text : s.kind === 'param' ? '{}' : '{+}'))
    .join('/');
}

/** Collects every problem (bad keys, duplicates, same-shape conflicts) instead of stopping. */
export function compileRouteTable<T>(
  definitions: readonly RouteDefinition<T>[],
): CompileRouteTableResult<T> {
  const problems: string[] = [];
  const routes: CompiledRoute<T>[] = [];
  const seen = new Map<string, string>();
  let defaultTarget: { target: T } | undefined;
  for (const { routeKey, target } of definitions) {
    const parsed = parseRouteKey(routeKey);
    if (!parsed.ok) {
      problems.push(parsed.message);
      continue;
    }
    const shape = parsed.isDefault
      ? DEFAULT_ROUTE_KEY
      : `${parsed.method} ${shapeOf(parsed.segments)}`;
    const earlier = seen.get(shape);
    if (earlier !== undefined) {
      problems.push(`route "${parsed.routeKey}" conflicts with "${earlier}"`);
      continue;
    }
    seen.set(shape, parsed.routeKey);
    if (parsed.isDefault) defaultTarget = { target };
    else routes.push({ ...parsed, shape, target });
  }
  return problems.length > 0
    ? { ok: false, problems }
    : { ok: true, table: { routes, defaultTarget } };
}

function matchSegments(
  segments: readonly RouteSegment[],
  parts: readonly string[],
): Array<[string, string]> | undefined {
  // Entries, not an object: a parameter may be named `__proto__`.
  const params: Array<[string, string]> = [];
  for (const [i, segment] of segments.entries()) {
    const part = parts[i];
    if (segment.kind === 'greedy') {
      const rest = parts.slice(i).join('/');
      if (rest === '') return undefined;
      params.push([segment.name, percentDecode(rest)]);
      return params;
    }
    if (part === undefined) return undefined;
    if (segment.kind === 'literal') {
      if (part !== segment.text && percentDecode(part) !== segment.text) return undefined;
    } else {
      if (part === '') return undefined;
      params.push([segment.name, percentDecode(part)]);
    }
  }
  return parts.length === segments.length ? params : undefined;
}

/** Negative when `a` is more specific than `b`. */
function compareSpecificity<T>(a: CompiledRoute<T>, b: CompiledRoute<T>): number {
  const length = Math.min(a.segments.length, b.segments.length);
  for (let i = 0; i < length; i++) {
    const diff = RANK[a.segments[i]?.kind ?? 'greedy'] - RANK[b.segments[i]?.kind ?? 'greedy'];
    if (diff !== 0) return diff;
  }
  return (a.method === 'ANY' ? 1 : 0) - (b.method === 'ANY' ? 1 : 0);
}

function splitPath(rawPath: string): string[] {
  const path = rawPath === '' ? '/' : rawPath;
  return path === '/' ? [] : path.replace(/^\//, '').split('/');
}

export function matchRoute<T>(
  table: RouteTable<T>,
  method: string,
  rawPath: string,
): RouteMatch<T> | undefined {
  const parts = splitPath(rawPath);
  const wanted = method.toUpperCase();
  let best: { route: CompiledRoute<T>; params: Array<[string, string]> } | undefined;
  for (const route of table.routes) {
    if (route.method !== wanted && route.method !== 'ANY') continue;
    const params = matchSegments(route.segments, parts);
    if (params === undefined) continue;
    if (best === undefined || compareSpecificity(route, best.route) < 0) best = { route, params };
  }
  if (best !== undefined) {
    const { route, params } = best;
    const pathParameters = params.length > 0 ? Object.fromEntries(params) : null;
    return { target: route.target, routeKey: route.routeKey, resource: route.path, pathParameters };
  }
  if (table.defaultTarget === undefined) return undefined;
  return {
    target: table.defaultTarget.target,
    routeKey: DEFAULT_ROUTE_KEY,
    resource: DEFAULT_ROUTE_KEY,
    pathParameters: null,
  };
}
