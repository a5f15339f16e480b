/**
 * @module
 * The API Gateway REST API (payload 1.0) proxy event, keys in AWS's order. `path` keeps the
 * percent-encoding it arrived with (REST APIs do not decode it); query values are form-decoded
 * (see query-string.ts); `requestContext.path` is `/<stage><path>` as on the execute-api domain,
 * or just the path for the `$default` stage, which is served at the root.
 */
import { createHash } from 'node:crypto';
import { encodeBody } from './body-encoding.js';
import { v1Headers } from './header-maps.js';
import { parseQueryString } from './query-string.js';
import { lastHeaderValue, type HttpRequestFacts } from './request-facts.js';
import { formatRequestTime } from './request-time.js';

export interface V1RouteContext {
  /** Template path, e.g. `/{proxy+}`. */
  readonly resource: string;
  readonly pathParameters: Record<string, string> | null;
  readonly stage: string;
  readonly stageVariables?: Record<string, string> | null;
  readonly apiId: string;
  readonly accountId: string;
  readonly domainName: string;
  /** @defaultValue 6 hex characters derived from apiId and resource, stable per route */
  readonly resourceId?: string;
}

export interface V1EventOptions {
  /** Media ranges always sent base64 (a REST API's binaryMediaTypes). @defaultValue [] */
  readonly binaryMediaTypes?: readonly string[];
}

export interface V1Identity {
  readonly cognitoIdentityPoolId: null;
  readonly accountId: null;
  readonly cognitoIdentityId: null;
  readonly caller: null;
  readonly sourceIp: string;
  readonly principalOrgId: null;
  readonly accessKey: null;
  readonly cognitoAuthenticationType: null;
  readonly cognitoAuthenticationProvider: null;
  readonly userArn: null;
  readonly userAgent: string | null;
  readonly user: null;
}

export interface V1RequestContext {
  readonly resourceId: string;
  readonly resourcePath: string;
  readonly httpMethod: string;
  readonly extendedRequestId: string;
  readonly requestTime: string;
  readonly path: string;
  readonly accountId: string;
  readonly protocol: string;
  readonly stage: string;
  readonly domainPrefix: string;
  readonly requestTimeEpoch: number;
  readonly requestId: string;
  readonly identity: V1Identity;
  readonly domainName: string;
  readonly apiId: string;
}

export interface ApiGatewayProxyEventV1 {
  readonly resource: string;
  readonly path: string;
  readonly httpMethod: string;
  readonly headers: Record<string, string> | null;
  readonly multiValueHeaders: Record<string, string[]> | null;
  readonly queryStringParameters: Record<string, string> | null;
  readonly multiValueQueryStringParameters: Record<string, string[]> | null;
  readonly pathParameters: Record<string, string> | null;
  readonly stageVariables: Record<string, string> | null;
  readonly requestContext: V1RequestContext;
  readonly body: string | null;
  readonly isBase64Encoded: boolean;
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

function v1Query(rawQueryString: string): {
  single: Record<string, string> | null;
  multi: Record<string, string[]> | null;
} {
  const groups = new Map<string, string[]>();
  for (const [key, value] of parseQueryString(rawQueryString)) {
    const values = groups.get(key);
    if (values === undefined) groups.set(key, [value]);
    else values.push(value);
  }
  if (groups.size === 0) return { single: null, multi: null };
  const entries = [...groups.entries()];
  return {
    single: Object.fromEntries(entries.map(([k, v]) => [k, v[v.length - 1] ?? ''])),
    multi: Object.fromEntries(entries),
  };
}

const nonEmpty = (map: Record<string, string> | null | undefined): Record<string, string> | null =>
  map !== null && map !== undefined && Object.keys(map).length > 0 ? map : null;

export function buildV1Event(
  req: HttpRequestFacts,
  route: V1RouteContext,
  options: V1EventOptions = {},
): ApiGatewayProxyEventV1 {
  const path = req.rawPath === '' ? '/' : req.rawPath;
  const { headers, multiValueHeaders } = v1Headers(req.rawHeaders);
  const query = v1Query(req.rawQueryString);
  const contentType = lastHeaderValue(req.rawHeaders, 'content-type');
  const encoded = encodeBody(req.body, contentType, options.binaryMediaTypes);
  const requestContext: V1RequestContext = {
    resourceId:
      route.resourceId ?? digest(`${route.apiId} ${route.resource}`).toString('hex').slice(0, 6),
    resourcePath: route.resource,
    httpMethod: req.method,
    // AWS's look: 11 bytes of base64 ("JJbxmHc1IAMFtKA="), derived so it is stable per request.
    extendedRequestId: digest(req.requestId).subarray(0, 11).toString('base64'),
    requestTime: formatRequestTime(req.timeEpochMs),
    // A `$default` stage is not part of the URL, so it is not part of this path either.
    path: route.stage === '$default' ? path : `/${route.stage}${path}`,
    accountId: route.accountId,
    protocol: req.protocol,
    stage: route.stage,
    domainPrefix: route.domainName.split('.')[0] ?? '',
    requestTimeEpoch: req.timeEpochMs,
    requestId: req.requestId,
    identity: {
      cognitoIdentityPoolId: null,
      accountId: null,
      cognitoIdentityId: null,
      caller: null,
      sourceIp: req.sourceIp,
      principalOrgId: null,
      accessKey: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      userArn: null,
      userAgent: lastHeaderValue(req.rawHeaders, 'user-agent') ?? null,
      user: null,
    },
    domainName: route.domainName,
    apiId: route.apiId,
  };
  return {
    resource: route.resource,
    path,
    httpMethod: req.method,
    headers,
    multiValueHeaders,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: nonEmpty(route.pathParameters),
    stageVariables: nonEmpty(route.stageVariables),
    requestContext,
    body: encoded.body ?? null,
    isBase64Encoded: encoded.isBase64Encoded,
  };
}
