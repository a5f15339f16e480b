/**
 * @module
 * Function URL CORS, answered by the gateway the way Lambda does it. A preflight (OPTIONS with
 * `Origin` and `Access-Control-Request-Method`) never reaches the function when CORS is
 * configured: an allowed origin gets the configured headers, any other origin still gets 200 but
 * no CORS headers, so the browser blocks the call. Only the origin is checked; methods and headers
 * are advertised as configured and the browser enforces them. `*` in AllowMethods/AllowHeaders
 * echoes what the browser asked for, which also works with credentials. Origins compare
 * case-insensitively. Normal responses get Allow-Origin, Allow-Credentials, Expose-Headers and
 * `Vary: Origin` (whenever the origin is echoed rather than `*`).
 */
import { lastHeaderValue, type HttpRequestFacts } from './request-facts.js';
import type { HttpResponse } from './http-response.js';

export interface CorsConfig {
  readonly AllowOrigins?: readonly string[];
  readonly AllowMethods?: readonly string[];
  readonly AllowHeaders?: readonly string[];
  readonly ExposeHeaders?: readonly string[];
  readonly MaxAge?: number;
  readonly AllowCredentials?: boolean;
}

type Headers = Array<[string, string]>;

/** The Allow-Origin value for an allowed origin (plus Vary), or undefined when not allowed. */
function allowOrigin(cors: CorsConfig, origin: string): Headers | undefined {
  const origins = cors.AllowOrigins ?? [];
  const wanted = origin.toLowerCase();
  const exact = origins.some((allowed) => allowed.toLowerCase() === wanted);
  const any = origins.includes('*');
  if (!exact && !any) return undefined;
  if (any && !exact && cors.AllowCredentials !== true) {
    return [['access-control-allow-origin', '*']];
  }
  return [
    ['access-control-allow-origin', origin],
    ['vary', 'Origin'],
  ];
}

function listOrEcho(
  configured: readonly string[] | undefined,
  requested: string | undefined,
): string | undefined {
  const list = configured ?? [];
  if (list.includes('*')) return requested ?? '*';
  return list.length > 0 ? list.join(',') : undefined;
}

/**
 * The gateway's own answer to a CORS preflight, or undefined when the request is not a preflight
 * or the URL has no CORS config; the request then goes to the function as usual.
 */
export function preflightResponse(
  cors: CorsConfig | undefined,
  req: Pick<HttpRequestFacts, 'method' | 'rawHeaders'>,
): HttpResponse | undefined {
  if (cors === undefined || req.method.toUpperCase() !== 'OPTIONS') return undefined;
  const origin = lastHeaderValue(req.rawHeaders, 'origin');
  const method = lastHeaderValue(req.rawHeaders, 'access-control-request-method');
  if (origin === undefined || method === undefined) return undefined;
  const originHeaders = allowOrigin(cors, origin);
  if (originHeaders === undefined) return { statusCode: 200, headers: [], body: Buffer.alloc(0) };
  const headers: Headers = [...originHeaders];
  if (cors.AllowCredentials === true) headers.push(['access-control-allow-credentials', 'true']);
  const methods = listOrEcho(cors.AllowMethods, method);
  if (methods !== undefined) headers.push(['access-control-allow-methods', methods]);
  const requested = lastHeaderValue(req.rawHeaders, 'access-control-request-headers');
  const allowHeaders = listOrEcho(cors.AllowHeaders, requested);
  if (allowHeaders !== undefined) headers.push(['access-control-allow-headers', allowHeaders]);
  if (cors.MaxAge !== undefined) headers.push(['access-control-max-age', String(cors.MaxAge)]);
  return { statusCode: 200, headers, body: Buffer.alloc(0) };
}

/** Headers to add to a normal response for a request carrying `origin`; [] when none apply. */
export function corsHeaders(cors: CorsConfig | undefined, origin: string | undefined): Headers {
  if (cors === undefined || origin === undefined) return [];
  const headers = allowOrigin(cors, origin);
  if (headers === undefined) return [];
  if (cors.AllowCredentials === true) headers.push(['access-control-allow-credentials', 'true']);
  const expose = cors.ExposeHeaders ?? [];
  if (expose.length > 0) headers.push(['access-control-expose-headers', expose.join(',')]);
  return headers;
}

/**
 * The function's headers with CORS applied: when the URL has a CORS config, the function's own
 * `access-control-*` headers are replaced by the configured ones so the two cannot contradict.
 */
export function applyCors(
  headers: readonly (readonly [string, string])[],
  cors: CorsConfig | undefined,
  origin: string | undefined,
): Headers {
  const own: Headers = headers.map(([name, value]) => [name, value]);
  if (cors === undefined) return own;
  const kept = own.filter(([name]) => !name.toLowerCase().startsWith('access-control-'));
  return [...kept, ...corsHeaders(cors, origin)];
}
