/**
 * @module
 * User HTTP routes: a request no gateway operation claimed is matched against the route table;
 * the matched function gets API Gateway's v1 or v2 event and its output is mapped back the way
 * API Gateway maps it. Paths the gateway serves itself never reach user routes, so an unknown
 * Lambda operation still gets the Lambda API's own error.
 */
import { Router, type Request, type Response } from 'express';
import type { RouteRecord } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { whenCallerGone } from '../invoke/caller-gone.js';
import { integrationError, type ResponseFlavor } from '../http-events/responses.js';
import type { HttpResponse } from '../http-events/http-response.js';
import type { HttpRequestFacts } from '../http-events/request-facts.js';
import { matchRoute, type RouteMatch } from '../http-events/route-table.js';
import { buildV1Event } from '../http-events/v1-event.js';
import { buildV2Event } from '../http-events/v2-event.js';
import { mapV1Response } from '../http-events/v1-response.js';
import { mapV2Response } from '../http-events/v2-response.js';
import { isResponse, rawPathOf, readExchange, writeResponse } from '../ingress/http-exchange.js';
import { invokeForHttp } from '../ingress/invoke-for-http.js';
import { ownRequestId } from '../ingress/own-request-id.js';
import { contextOf } from '../middleware/request-context.js';
import { isReservedPath } from '../sources/route-input.js';

/** The id API Gateway would show as `apiId`: one per lambdock installation and account. */
export const ROUTES_API_ID = 'lambdock';

function buildEvent(
  facts: HttpRequestFacts,
  match: RouteMatch<RouteRecord>,
  deps: ResolvedGatewayDeps,
  domainName: string,
): unknown {
  const { accountId } = deps.settings;
  if (match.target.payloadFormatVersion === '1.0') {
    return buildV1Event(facts, {
      resource: match.resource,
      pathParameters: match.pathParameters,
      stage: '$default',
      stageVariables: null,
      apiId: ROUTES_API_ID,
      accountId,
      domainName,
    });
  }
  return buildV2Event(facts, {
    flavor: 'http-api',
    routeKey: match.routeKey,
    pathParameters: match.pathParameters,
    stage: '$default',
    apiId: ROUTES_API_ID,
    accountId,
    domainName,
    domainPrefix: domainName.split('.')[0] ?? domainName,
  });
}

async function serve(
  deps: ResolvedGatewayDeps,
  req: Request,
  res: Response,
  match: RouteMatch<RouteRecord>,
): Promise<HttpResponse> {
  const route = match.target;
  const { requestId, logger } = contextOf(res);
  const flavor: ResponseFlavor = route.payloadFormatVersion === '1.0' ? 'v1' : 'http-api';
  const facts = await readExchange(
    req,
    deps.settings.syncPayloadLimitBytes,
    requestId,
    deps.now(),
    rawPathOf(req),
  );
  if (isResponse(facts)) return facts;
  const result = await invokeForHttp(deps, {
    functionName: route.functionName,
    ...(route.qualifier === undefined ? {} : { qualifier: route.qualifier }),
    payload: JSON.stringify(buildEvent(facts, match, deps, req.get('host') ?? 'localhost')),
    requestId,
    whenGone: whenCallerGone(res),
    logger,
    maxWaitMs: route.timeoutMs,
  });
  if (result.kind === 'unavailable') {
    return {
      statusCode: 503,
      headers: [['content-type', 'application/json']],
      body: Buffer.from('{"message":"Service Unavailable"}'),
    };
  }
  if (result.kind === 'failed') return integrationError(result.error, flavor);
  const mapped =
    flavor === 'v1'
      ? mapV1Response(result.reply.payload)
      : mapV2Response(result.reply.payload, 'http-api');
  if (mapped.problem !== undefined)
    logger.warn({ route: route.routeKey, problem: mapped.problem }, 'malformed function response');
  return mapped;
}

export function createHttpIngressRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  router.use(async (req, res, next) => {
    const rawPath = rawPathOf(req);
    if (isReservedPath(rawPath)) {
      next();
      return;
    }
    const snapshot = await deps.sources.view.current();
    const match = matchRoute(snapshot.routes, req.method, rawPath);
    if (match === undefined) {
      next();
      return;
    }
    contextOf(res).operation = 'HttpRoute';
    ownRequestId(res, deps);
    const response = await serve(deps, req, res, match);
    deps.metrics.routeRequests.inc({
      route: match.routeKey,
      status: String(response.statusCode),
    });
    const { requestId } = contextOf(res);
    const ids: Array<[string, string]> =
      match.target.payloadFormatVersion === '1.0'
        ? [['x-amzn-RequestId', requestId]]
        : [['apigw-requestid', requestId]];
    writeResponse(res, response, ids);
  });
  return router;
}
