/**
 * @module
 * Function URLs: `<public url>/lambda-url/<url-id>/<path>` (or a Host of the form
 * `<url-id>.lambda-url.<anything>`, AWS's own shape) invokes the URL's function with the payload
 * 2.0 event, `routeKey` `$default`. An unknown id answers 403 as AWS does, and so does an
 * AWS_IAM URL to a request not signed by one of ACCESS_KEYS, and an alias's URL while the alias
 * is deleted (its config outlives it, as AWS's does); CORS preflights are
 * answered here without invoking; `RESPONSE_STREAM` URLs relay the body as the runtime sends it.
 */
import { Router, type Request, type Response } from 'express';
import type { FunctionUrlRecord } from '@lambdock/core';
import type { RequestVerifier, SignatureCheck } from '../auth/request-verifier.js';
import type { ResolvedGatewayDeps } from '../deps.js';
import { whenCallerGone } from '../invoke/caller-gone.js';
import { applyCors, preflightResponse } from '../http-events/cors.js';
import type { HttpResponse } from '../http-events/http-response.js';
import { lastHeaderValue } from '../http-events/request-facts.js';
import { integrationError } from '../http-events/responses.js';
import { buildV2Event, type V2Authorizer } from '../http-events/v2-event.js';
import { mapV2Response } from '../http-events/v2-response.js';
import { isResponse, rawPathOf, readExchange, writeResponse } from '../ingress/http-exchange.js';
import {
  invokeForHttp,
  type HttpInvokeRequest,
  type HttpInvokeResult,
} from '../ingress/invoke-for-http.js';
import { createStreamWriter, type StreamWriter } from '../ingress/stream-writer.js';
import { isHttpIntegrationStream } from '../http-events/stream-prelude.js';
import { ownRequestId } from '../ingress/own-request-id.js';
import { contextOf } from '../middleware/request-context.js';

const PATH_FORM = /^\/lambda-url\/([^/]+)(\/.*)?$/;
const HOST_FORM = /^([a-z0-9]{32})\.lambda-url\./;

function forbidden(message: string | null): HttpResponse {
  return {
    statusCode: 403,
    headers: [
      ['content-type', 'application/json'],
      ['x-amzn-ErrorType', 'AccessDeniedException'],
    ],
    body: Buffer.from(JSON.stringify({ Message: message })),
  };
}

const IAM_FORBIDDEN = forbidden(
  'Forbidden. For troubleshooting Function URL authorization issues, see: https://docs.aws.amazon.com/lambda/latest/dg/urls-auth.html',
);

/** Who signed an AWS_IAM request: lambdock's keys are users of its one account, named by key. */
function iamAuthorizer(accessKeyId: string, accountId: string): V2Authorizer {
  return {
    iam: {
      accessKey: accessKeyId,
      accountId,
      callerId: accessKeyId,
      cognitoIdentity: null,
      principalOrgId: null,
      userArn: `arn:aws:iam::${accountId}:user/${accessKeyId}`,
      userId: accessKeyId,
    },
  };
}

/** The URL id and the path inside the function URL, when the request addresses one. */
export function addressedUrl(
  rawPath: string,
  host: string | undefined,
): { urlId: string; path: string } | undefined {
  const byPath = PATH_FORM.exec(rawPath);
  if (byPath?.[1] !== undefined) return { urlId: byPath[1], path: byPath[2] ?? '/' };
  const byHost = host === undefined ? null : HOST_FORM.exec(host.toLowerCase());
  if (byHost?.[1] !== undefined) return { urlId: byHost[1], path: rawPath };
  return undefined;
}

async function serve(
  deps: ResolvedGatewayDeps,
  req: Request,
  res: Response,
  url: FunctionUrlRecord,
  path: string,
): Promise<HttpResponse | 'streamed'> {
  let signed: { verifier: RequestVerifier; check: SignatureCheck } | undefined;
  if (url.authType !== 'NONE') {
    // AWS_IAM: a signature by one of ACCESS_KEYS (none listed: nothing is accepted).
    const verifier = deps.signatures;
    if (verifier === null) return IAM_FORBIDDEN;
    try {
      signed = { verifier, check: verifier.begin(req) };
    } catch {
      return IAM_FORBIDDEN;
    }
  }
  const { requestId, logger } = contextOf(res);
  const facts = await readExchange(
    req,
    deps.settings.syncPayloadLimitBytes,
    requestId,
    deps.now(),
    // AWS collapses the leading slashes of the path inside the URL.
    path.replace(/^\/+/, '/'),
  );
  if (isResponse(facts)) return facts;
  if (signed !== undefined) {
    try {
      signed.verifier.finish(signed.check, facts.body);
    } catch {
      return IAM_FORBIDDEN;
    }
  }
  const preflight = preflightResponse(url.cors, facts);
  if (preflight !== undefined) return preflight;
  const origin = lastHeaderValue(facts.rawHeaders, 'origin');
  const domainName = req.get('host') ?? 'localhost';
  const event = buildV2Event(facts, {
    flavor: 'function-url',
    routeKey: '$default',
    pathParameters: null,
    stage: '$default',
    apiId: url.urlId,
    accountId: signed === undefined ? 'anonymous' : deps.settings.accountId,
    domainName,
    domainPrefix: url.urlId,
    ...(signed === undefined
      ? {}
      : { authorizer: iamAuthorizer(signed.check.parts.accessKeyId, deps.settings.accountId) }),
  });
  const invoke = {
    functionName: url.functionName,
    ...(url.qualifier === undefined ? {} : { qualifier: url.qualifier }),
    payload: JSON.stringify(event),
    requestId,
    whenGone: whenCallerGone(res),
    logger,
  };
  if (url.invokeMode === 'RESPONSE_STREAM') {
    const cors = (statusCode: number): Array<[string, string]> =>
      statusCode < 300 ? applyCors([], url.cors, origin) : [];
    return streamed(deps, url, invoke, createStreamWriter(res, cors));
  }
  const result = await invokeForHttp(deps, invoke);
  const response =
    result.kind === 'reply'
      ? mapV2Response(result.reply.payload, 'function-url')
      : await failureOf(deps, url, result);
  return { ...response, headers: applyCors(response.headers, url.cors, origin) };
}

type Failure = Exclude<HttpInvokeResult, { kind: 'reply' }>;

/**
 * A URL whose alias was deleted answers AWS's 403, not a 502: read only when the invocation found
 * nothing to run, so a working URL costs no look-up.
 */
async function failureOf(
  deps: ResolvedGatewayDeps,
  url: FunctionUrlRecord,
  result: Failure,
): Promise<HttpResponse> {
  if (
    result.kind === 'failed' &&
    result.error === 'function-missing' &&
    url.qualifier !== undefined
  ) {
    const alias = await deps.versions.getAlias(url.functionName, url.qualifier);
    if (alias === undefined) return IAM_FORBIDDEN;
  }
  return failure(result);
}

function failure(result: Failure): HttpResponse {
  if (result.kind === 'failed') return integrationError(result.error, 'function-url');
  return {
    statusCode: 503,
    headers: [['content-type', 'application/json']],
    body: Buffer.from('{"Message":"Service Unavailable"}'),
  };
}

/**
 * RESPONSE_STREAM: the body goes out as the runtime writes it. A failure before the first byte
 * is answered like a buffered one. After it the status is long gone: a function that failed, or
 * a chunk lost on the way, cuts the response (no last chunk), so the client can tell the body is
 * not whole. When nothing was written, the final reply repeats the stream, unless the stream was
 * longer than a reply holds (STREAM_RESPONSE_LIMIT_BYTES past 6 MB): then it is a 502.
 */
async function streamed(
  deps: ResolvedGatewayDeps,
  url: FunctionUrlRecord,
  invoke: Omit<HttpInvokeRequest, 'onChunk'>,
  writer: StreamWriter,
): Promise<'streamed' | HttpResponse> {
  const result = await invokeForHttp(deps, {
    ...invoke,
    onChunk: (chunk) => writer.onChunk(chunk),
  });
  if (result.kind !== 'reply') {
    if (!writer.started()) return failureOf(deps, url, result);
    writer.abort();
    return 'streamed';
  }
  const { header, payload } = result.reply;
  if (!writer.started()) {
    const relayed = header.streamedChunks ?? 0;
    if (relayed === 0 && !isHttpIntegrationStream(header.contentType)) {
      // A handler that answered buffered on a streaming URL: mapped as a buffered answer.
      return mapV2Response(payload, 'function-url');
    }
    if (payload.length < (header.streamedBytes ?? 0)) {
      return failure({ kind: 'failed', error: 'function-error' });
    }
    writer.writeWhole(payload, header.contentType);
  }
  if (writer.broken()) writer.abort();
  else writer.end();
  return 'streamed';
}

export function createUrlIngressRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  router.use(async (req, res, next) => {
    const addressed = addressedUrl(rawPathOf(req), req.get('host'));
    if (addressed === undefined) {
      next();
      return;
    }
    contextOf(res).operation = 'FunctionUrl';
    ownRequestId(res, deps);
    const url = (await deps.sources.view.current()).urls.get(addressed.urlId);
    const response =
      url === undefined ? forbidden(null) : await serve(deps, req, res, url, addressed.path);
    deps.metrics.urlRequests.inc({
      function: url?.functionName ?? '',
      status: String(response === 'streamed' ? res.statusCode : response.statusCode),
    });
    if (response !== 'streamed') writeResponse(res, response);
  });
  return router;
}
