/**
 * @module
 * The payload 2.0 event of HTTP APIs and Lambda function URLs, keys in the order of AWS's docs.
 * Absent collections are omitted, not null. The flavours differ in one place: HTTP APIs hand the
 * function a percent-decoded `rawPath`, function URLs keep the escapes (`/pa2%Fth/1`). Both
 * collapse a leading run of slashes (`//x` arrives as `/x`).
 */
import { encodeBody } from './body-encoding.js';
import { v2Headers } from './header-maps.js';
import { percentDecode } from './percent-decode.js';
import { parseQueryString } from './query-string.js';
import { lastHeaderValue, type HttpRequestFacts } from './request-facts.js';
import { formatRequestTime } from './request-time.js';

export type V2Flavor = 'http-api' | 'function-url';

export interface V2RouteContext {
  readonly flavor: V2Flavor;
  /** `GET /items/{id}` or `$default` (always `$default` for function URLs). */
  readonly routeKey: string;
  readonly pathParameters: Record<string, string> | null;
  /** `$default` for function URLs and default stages. */
  readonly stage: string;
  readonly stageVariables?: Record<string, string> | null;
  readonly apiId: string;
  /** `anonymous` for function URLs with AuthType NONE. */
  readonly accountId: string;
  readonly domainName: string;
  readonly domainPrefix: string;
  /** The signer of a function URL request with AuthType AWS_IAM. */
  readonly authorizer?: V2Authorizer;
}

/** `requestContext.authorizer` of an AWS_IAM function URL request: who signed it. */
export interface V2Authorizer {
  readonly iam: {
    readonly accessKey: string;
    readonly accountId: string;
    readonly callerId: string;
    readonly cognitoIdentity: null;
    readonly principalOrgId: null;
    readonly userArn: string;
    readonly userId: string;
  };
}

export interface V2RequestContext {
  readonly accountId: string;
  readonly apiId: string;
  readonly authorizer?: V2Authorizer;
  readonly domainName: string;
  readonly domainPrefix: string;
  readonly http: {
    readonly method: string;
    readonly path: string;
    readonly protocol: string;
    readonly sourceIp: string;
    readonly userAgent: string;
  };
  readonly requestId: string;
  readonly routeKey: string;
  readonly stage: string;
  readonly time: string;
  readonly timeEpoch: number;
}

export interface ApiGatewayProxyEventV2 {
  readonly version: '2.0';
  readonly routeKey: string;
  readonly rawPath: string;
  readonly rawQueryString: string;
  readonly cookies?: string[];
  readonly headers: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly requestContext: V2RequestContext;
  readonly body?: string;
  readonly pathParameters?: Record<string, string>;
  readonly isBase64Encoded: boolean;
  readonly stageVariables?: Record<string, string>;
}

function v2Query(rawQueryString: string): Record<string, string> | undefined {
  const groups = new Map<string, string>();
  for (const [key, value] of parseQueryString(rawQueryString)) {
    const earlier = groups.get(key);
    groups.set(key, earlier === undefined ? value : `${earlier},${value}`);
  }
  return groups.size > 0 ? Object.fromEntries(groups) : undefined;
}

const present = (
  map: Record<string, string> | null | undefined,
): Record<string, string> | undefined =>
  map !== null && map !== undefined && Object.keys(map).length > 0 ? map : undefined;

function eventPath(rawPath: string, flavor: V2Flavor): string {
  const collapsed = rawPath === '' ? '/' : rawPath.replace(/^\/{2,}/, '/');
  return flavor === 'http-api' ? percentDecode(collapsed) : collapsed;
}

export function buildV2Event(req: HttpRequestFacts, route: V2RouteContext): ApiGatewayProxyEventV2 {
  const path = eventPath(req.rawPath, route.flavor);
  const { headers, cookies } = v2Headers(req.rawHeaders);
  const queryStringParameters = v2Query(req.rawQueryString);
  const encoded = encodeBody(req.body, lastHeaderValue(req.rawHeaders, 'content-type'));
  const pathParameters = present(route.pathParameters);
  const stageVariables = present(route.stageVariables);
  return {
    version: '2.0',
    routeKey: route.routeKey,
    rawPath: path,
    rawQueryString: req.rawQueryString,
    ...(cookies.length > 0 ? { cookies } : {}),
    headers,
    ...(queryStringParameters === undefined ? {} : { queryStringParameters }),
    requestContext: {
      accountId: route.accountId,
      apiId: route.apiId,
      ...(route.authorizer === undefined ? {} : { authorizer: route.authorizer }),
      domainName: route.domainName,
      domainPrefix: route.domainPrefix,
      http: {
        method: req.method,
        path,
        protocol: req.protocol,
        sourceIp: req.sourceIp,
        userAgent: lastHeaderValue(req.rawHeaders, 'user-agent') ?? '',
      },
      requestId: req.requestId,
      routeKey: route.routeKey,
      stage: route.stage,
      time: formatRequestTime(req.timeEpochMs),
      timeEpoch: req.timeEpochMs,
    },
    ...(encoded.body === undefined ? {} : { body: encoded.body }),
    ...(pathParameters === undefined ? {} : { pathParameters }),
    isBase64Encoded: encoded.isBase64Encoded,
    ...(stageVariables === undefined ? {} : { stageVariables }),
  };
}
