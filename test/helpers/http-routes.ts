/**
 * @module
 * What the HTTP-route end-to-end suites share: a running stack with the route fixtures created
 * (echo, output shapes, a thrower, a slow one), raw calls like curl's, the routes management
 * API, and the checks every route test makes of an echoed event and of an error answer.
 */
import assert from 'node:assert/strict';
import { before } from 'node:test';
import { RUNTIME_IMAGES } from './docker.js';
import { createNodeFunction } from './lambda.js';
import { headerValues, rawRequest, type RawRequest, type RawResponse } from './raw-http.js';
import { uniqueName } from './stack.js';
import { useStack, type SuiteContext } from './suite.js';

export type Json = Record<string, unknown>;

export const ACCOUNT = '000000000000';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
export const V1_FAILED = '{"message": "Internal server error"}';
export const V2_FAILED = '{"message":"Internal Server Error"}';
/** The gateway's default limit for a synchronous request (Lambda's 6 MB). */
export const SYNC_PAYLOAD_LIMIT_BYTES = 6 * 1024 * 1024;

/** API Gateway's `10/Mar/2020:00:03:59 +0000`. */
export function requestTime(epochMs: number): string {
  const d = new Date(epochMs);
  const p = (n: number): string => String(n).padStart(2, '0');
  const month = MONTHS[d.getUTCMonth()] ?? '';
  return `${p(d.getUTCDate())}/${month}/${d.getUTCFullYear()}:${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** The response headers that do not vary (date and connection handling left out). */
export function stableHeaders(res: RawResponse): Array<[string, string]> {
  return res.headers
    .map(([n, v]): [string, string] => [n.toLowerCase(), v])
    .filter(([n]) => !['date', 'connection', 'keep-alive'].includes(n));
}

export interface RouteSuite {
  readonly ctx: SuiteContext;
  readonly fn: { echo: string; shapes: string; throws: string; slow: string };
  host(): string;
  call(req: RawRequest): Promise<RawResponse>;
  /** A call to the routes management API (`/lambdock/v1/routes`). */
  api(method: string, path: string, body?: unknown): Promise<RawResponse>;
  createRoute(body: Json): Promise<string>;
  deleteRoutes(ids: string[]): Promise<void>;
  /** The echoed event, with the request id and time checked by shape and returned. */
  echoed(req: RawRequest): Promise<{ res: RawResponse; event: Json; rc: Json }>;
  expectUnknownOperation(method: string, path: string): Promise<void>;
  expectError(req: RawRequest, status: number, body: string): Promise<void>;
}

/** Call inside a `describe`: the stack starts and the fixtures are created before its tests. */
export function useRouteSuite(): RouteSuite {
  const ctx = useStack([RUNTIME_IMAGES.node]);
  const fn = {
    echo: uniqueName('http-echo'),
    shapes: uniqueName('http-shapes'),
    throws: uniqueName('http-throws'),
    slow: uniqueName('http-slow'),
  };
  const host = (): string => `127.0.0.1:${ctx.stack.gatewayPort}`;
  const call = async (req: RawRequest): Promise<RawResponse> => rawRequest(ctx.stack.endpoint, req);

  async function api(method: string, path: string, body?: unknown): Promise<RawResponse> {
    return call({
      method,
      path: `/lambdock/v1/routes${path}`,
      ...(body === undefined
        ? {}
        : { headers: [['content-type', 'application/json']], body: JSON.stringify(body) }),
    });
  }
  async function createRoute(body: Json): Promise<string> {
    const res = await api('POST', '', body);
    assert.equal(res.status, 201, res.text);
    return (JSON.parse(res.text) as { RouteId: string }).RouteId;
  }
  async function deleteRoutes(ids: string[]): Promise<void> {
    for (const id of ids) assert.equal((await api('DELETE', `/${id}`)).status, 204);
  }
  /** The echoed event, with the request id and time checked by shape and returned. */
  async function echoed(req: RawRequest): Promise<{ res: RawResponse; event: Json; rc: Json }> {
    const started = Date.now();
    const res = await call(req);
    assert.ok(res.status < 300, `${res.status} ${res.text}`);
    const event = (JSON.parse(res.text) as { event: Json }).event;
    const rc = event.requestContext as Json;
    const epoch = (rc.timeEpoch ?? rc.requestTimeEpoch) as number;
    assert.ok(epoch >= started - 1000 && epoch <= Date.now(), `time ${epoch}`);
    assert.equal(rc.time ?? rc.requestTime, requestTime(epoch));
    assert.match(rc.requestId as string, UUID);
    return { res, event, rc };
  }
  async function expectUnknownOperation(method: string, path: string): Promise<void> {
    const res = await call({ method, path });
    assert.equal(res.status, 404, `${method} ${path}: ${res.text}`);
    assert.deepEqual(headerValues(res, 'x-amzn-ErrorType'), ['UnknownOperationException']);
    assert.deepEqual(JSON.parse(res.text), {
      message: `Unknown operation: ${method} ${path.split('?')[0] ?? ''}`,
    });
  }
  async function expectError(req: RawRequest, status: number, body: string): Promise<void> {
    const res = await call(req);
    assert.equal(res.status, status, `${req.path}: ${res.text}`);
    assert.equal(res.text, body, req.path);
    assert.deepEqual(headerValues(res, 'content-type'), ['application/json'], req.path);
  }

  before(async () => {
    // A roomy timeout: a cold start on a busy two-core host must not turn into a 5xx.
    const zip = (name: string, fixture: string, timeout = 15) =>
      createNodeFunction(ctx.client, name, fixture, timeout);
    await Promise.all([
      zip(fn.echo, 'node-http-echo'),
      zip(fn.shapes, 'node-http-shapes'),
      zip(fn.throws, 'node-throws'),
      zip(fn.slow, 'node-timeout', 5),
    ]);
  });
  return {
    ctx,
    fn,
    host,
    call,
    api,
    createRoute,
    deleteRoutes,
    echoed,
    expectUnknownOperation,
    expectError,
  };
}
