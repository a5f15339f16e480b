/**
 * @module
 * What the function-URL end-to-end suites share: a running stack with the URL fixtures created
 * (a function for config changes, echo, output shapes, a thrower), raw calls like curl's, and
 * the answers AWS gives that the suites compare against.
 */
import assert from 'node:assert/strict';
import { before } from 'node:test';
import { CreateFunctionUrlConfigCommand } from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from './docker.js';
import { createZipFunction } from './lambda.js';
import { headerValues, rawRequest, type RawRequest, type RawResponse } from './raw-http.js';
import { uniqueName } from './stack.js';
import { useStack, type SuiteContext } from './suite.js';

export type Json = Record<string, unknown>;

export const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:';
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)$/;
export const BYTES = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
export const NO_RESOURCE = 'The resource you requested does not exist.';
export const NO_FUNCTION = 'Function does not exist';
export const QUALIFIER_PATTERN = '((?!^\\d+$)^[0-9a-zA-Z-_]+$)';
export const ORIGIN = 'https://app.example.com';
export const CORS = {
  AllowOrigins: [ORIGIN],
  AllowMethods: ['GET', 'POST'],
  AllowHeaders: ['x-custom', 'content-type'],
  ExposeHeaders: ['x-echo-format'],
  MaxAge: 600,
  AllowCredentials: true,
};

/** The keys of an SDK output, without the SDK's own `$metadata`. */
export function keysOf(output: object): string[] {
  return Object.keys(output)
    .filter((k) => k !== '$metadata')
    .sort();
}

/** An SDK rejection with AWS's exception name, HTTP status and exact message. */
export function awsError(name: string, status: number, message: string) {
  return (err: unknown): boolean => {
    const e = err as { name?: string; message?: string; $metadata?: { httpStatusCode?: number } };
    assert.deepEqual([e.name, e.$metadata?.httpStatusCode, e.message], [name, status, message]);
    return true;
  };
}

export function corsOf(res: RawResponse): Array<[string, string]> {
  return res.headers
    .map(([n, v]): [string, string] => [n.toLowerCase(), v])
    .filter(([n]) => n.startsWith('access-control-') || n === 'vary');
}

export interface UrlSuite {
  readonly ctx: SuiteContext;
  readonly fn: { crud: string; echo: string; shapes: string; throws: string };
  host(): string;
  call(req: RawRequest): Promise<RawResponse>;
  /** Create a NONE-auth URL and return its id and path prefix (`/lambda-url/<id>/`). */
  createUrl(name: string, cors?: typeof CORS): Promise<{ id: string; base: string }>;
  /** The 403 `{"Message":null}` a URL id nobody has gets. */
  expectForbiddenNull(req: RawRequest): Promise<void>;
}

/** Call inside a `describe`: the stack starts and the fixtures are created before its tests. */
export function useUrlSuite(): UrlSuite {
  const ctx = useStack([RUNTIME_IMAGES.node]);
  const fn = {
    crud: uniqueName('url-crud'),
    echo: uniqueName('url-echo'),
    shapes: uniqueName('url-shapes'),
    throws: uniqueName('url-throws'),
  };
  const host = (): string => `127.0.0.1:${ctx.stack.gatewayPort}`;
  const call = async (req: RawRequest): Promise<RawResponse> => rawRequest(ctx.stack.endpoint, req);
  /** Create a NONE-auth URL and return its id and path prefix (`/lambda-url/<id>/`). */
  async function createUrl(
    name: string,
    cors?: typeof CORS,
  ): Promise<{ id: string; base: string }> {
    const out = await ctx.client.send(
      new CreateFunctionUrlConfigCommand({
        FunctionName: name,
        AuthType: 'NONE',
        ...(cors === undefined ? {} : { Cors: cors }),
      }),
    );
    const url = new URL(out.FunctionUrl ?? '');
    const id = /^\/lambda-url\/([a-z2-7]{32})\/$/.exec(url.pathname)?.[1];
    assert.ok(id !== undefined, `FunctionUrl ${out.FunctionUrl}`);
    return { id, base: url.pathname };
  }
  async function expectForbiddenNull(req: RawRequest): Promise<void> {
    const res = await call(req);
    assert.equal(res.status, 403, res.text);
    assert.equal(res.text, '{"Message":null}');
    assert.deepEqual(
      [headerValues(res, 'content-type'), headerValues(res, 'x-amzn-ErrorType')],
      [['application/json'], ['AccessDeniedException']],
    );
  }

  before(async () => {
    const zip = (name: string, fixture: string) =>
      createZipFunction(ctx.client, {
        name,
        fixture,
        runtime: 'nodejs20.x',
        handler: 'index.handler',
        // A roomy timeout: a cold start on a busy two-core host must not turn into a 502.
        timeout: 15,
      });
    await Promise.all([
      zip(fn.crud, 'node-http-echo'),
      zip(fn.echo, 'node-http-echo'),
      zip(fn.shapes, 'node-http-shapes'),
      zip(fn.throws, 'node-throws'),
    ]);
  });
  return { ctx, fn, host, call, createUrl, expectForbiddenNull };
}
