/**
 * @module
 * Parsing of HTTP API route keys: `GET /items/{id}`, `ANY /{proxy+}` or `$default`. The rules are
 * API Gateway's: a known method (or `ANY`), a path starting with `/`, parameters that fill a whole
 * segment, a greedy `{name+}` only as the last segment, no duplicate names, no empty segments and
 * no trailing `/` except for the root path. Methods are accepted in any case and normalised.
 */

export const DEFAULT_ROUTE_KEY = '$default';

export const ROUTE_METHODS: readonly string[] = [
  'ANY',
  'GET',
  'POST',
  'PUT',
  'PATCH',
  'DELETE',
  'HEAD',
  'OPTIONS',
];

export type RouteSegment =
  | { readonly kind: 'literal'; readonly text: string }
  | { readonly kind: 'param'; readonly name: string }
  | { readonly kind: 'greedy'; readonly name: string };

export interface ParsedRoute {
  readonly ok: true;
  /** Normalised key, e.g. `GET /items/{id}` or `$default`. */
  readonly routeKey: string;
  readonly isDefault: boolean;
  /** `ANY` or an upper-case method; `ANY` for `$default`. */
  readonly method: string;
  /** The template path, e.g. `/items/{id}`; `$default` for the default route. */
  readonly path: string;
  readonly segments: readonly RouteSegment[];
}

export type ParseRouteKeyResult = ParsedRoute | { readonly ok: false; readonly message: string };

const PARAM_NAME = /^[A-Za-z0-9._-]+$/;
// Characters RFC 3986 allows in a path segment, plus `%` for escapes already in the template.
const LITERAL_SEGMENT = /^[A-Za-z0-9\-._~!$&'()*+,;=:@%]+$/;

function parseSegment(segment: string): RouteSegment | string {
  if (segment.startsWith('{') && segment.endsWith('}')) {
    const inner = segment.slice(1, -1);
    const greedy = inner.endsWith('+');
    const name = greedy ? inner.slice(0, -1) : inner;
    if (!PARAM_NAME.test(name)) {
      return `invalid path parameter name in "${segment}": use letters, digits, '.', '_' or '-'`;
    }
    return greedy ? { kind: 'greedy', name } : { kind: 'param', name };
  }
  if (segment.includes('{') || segment.includes('}')) {
    return `path parameter "${segment}" must fill its whole segment, e.g. "/{id}"`;
  }
  if (!LITERAL_SEGMENT.test(segment)) {
    return `path segment "${segment}" contains characters not allowed in a URL path`;
  }
  return { kind: 'literal', text: segment };
}

function parsePath(path: string): RouteSegment[] | string {
  if (!path.startsWith('/')) return `path "${path}" must start with "/"`;
  if (path === '/') return [];
  if (path.endsWith('/')) return `path "${path}" must not end with "/" (only the root path may)`;
  if (path.includes('//')) return `path "${path}" has an empty segment ("//")`;
  const segments: RouteSegment[] = [];
  const names = new Set<string>();
  const parts = path.slice(1).split('/');
  for (const [index, part] of parts.entries()) {
    const segment = parseSegment(part);
    if (typeof segment === 'string') return segment;
    if (segment.kind === 'greedy' && index !== parts.length - 1) {
      return `greedy parameter "{${segment.name}+}" must be the last segment of "${path}"`;
    }
    if (segment.kind !== 'literal') {
      if (names.has(segment.name)) return `duplicate path parameter "${segment.name}" in "${path}"`;
      names.add(segment.name);
    }
    segments.push(segment);
  }
  return segments;
}

export function parseRouteKey(text: string): ParseRouteKeyResult {
  const trimmed = text.trim();
  if (trimmed === DEFAULT_ROUTE_KEY) {
    return {
      ok: true,
      routeKey: DEFAULT_ROUTE_KEY,
      isDefault: true,
      method: 'ANY',
      path: DEFAULT_ROUTE_KEY,
      segments: [],
    };
  }
  const parts = trimmed.split(/\s+/);
  if (parts.length !== 2 || parts[0] === undefined || parts[1] === undefined) {
    return { ok: false, message: `route key "${text}" must be "METHOD /path" or "$default"` };
  }
  const method = parts[0].toUpperCase();
  if (!ROUTE_METHODS.includes(method)) {
    return {
      ok: false,
      message: `unknown method "${parts[0]}" in route key "${text}": use one of ${ROUTE_METHODS.join(', ')}`,
    };
  }
  const segments = parsePath(parts[1]);
  if (typeof segments === 'string') return { ok: false, message: segments };
  const path = parts[1];
  return { ok: true, routeKey: `${method} ${path}`, isDefault: false, method, path, segments };
}
