/**
 * @module
 * Reading a route definition (API body or sources file entry) into a RouteRecord. Paths the
 * gateway serves itself (the Lambda API, lambdock's own API, function URLs, health, metrics)
 * cannot be routes; everything else is checked by the route-key parser.
 */
import { validationError, type ArnContext, type ManagedBy, type RouteRecord } from '@lambdock/core';
import { parseRouteKey } from '../http-events/route-key.js';
import {
  optionalInteger,
  optionalString,
  Problems,
  readTargetOrKeep,
  requiredOrKept,
} from './target-input.js';

/** API Gateway's integration timeout bounds (HTTP APIs: 50 ms to 30 s, 30 s by default). */
export const ROUTE_TIMEOUT_MS = Object.freeze({ min: 50, max: 30_000, default: 30_000 });

/** First path segments that belong to the gateway itself. */
const RESERVED_SEGMENT = /^\/(20\d\d-\d\d-\d\d|lambdock|lambda-url|metrics|healthz|readyz)(\/|$)/;

export function isReservedPath(path: string): boolean {
  return RESERVED_SEGMENT.test(path);
}

/** A route's settings, as read from a request (the id and bookkeeping are added on create). */
export type RouteFields = Omit<RouteRecord, 'routeId' | 'managedBy' | 'createdAt'>;

/** Validate the fields of a route; `base` supplies the current values for a partial update. */
export function readRouteFields(
  body: Record<string, unknown>,
  ctx: ArnContext,
  base?: RouteFields,
): RouteFields {
  const problems = new Problems();
  const routeKeyText = requiredOrKept(problems, body, 'RouteKey', 512, base?.routeKey);
  let routeKey = routeKeyText;
  if (routeKeyText !== '') {
    const parsed = parseRouteKey(routeKeyText);
    if (!parsed.ok) problems.messages.push(`RouteKey ${parsed.message}`);
    else if (!parsed.isDefault && isReservedPath(parsed.path))
      problems.messages.push(`RouteKey path ${parsed.path} is served by lambdock itself`);
    else routeKey = parsed.routeKey;
  }
  const version = optionalString(problems, body, 'PayloadFormatVersion', 8);
  if (version !== undefined && version !== '1.0' && version !== '2.0')
    problems.messages.push("PayloadFormatVersion must be '1.0' or '2.0'");
  const timeout = optionalInteger(
    problems,
    body,
    'TimeoutInMillis',
    ROUTE_TIMEOUT_MS.min,
    ROUTE_TIMEOUT_MS.max,
  );
  if (problems.messages.length > 0) throw validationError(problems.messages);
  const target = readTargetOrKeep(body, ctx, base);
  return {
    routeKey,
    ...target,
    payloadFormatVersion:
      version === '1.0' || version === '2.0' ? version : (base?.payloadFormatVersion ?? '2.0'),
    timeoutMs: timeout ?? base?.timeoutMs ?? ROUTE_TIMEOUT_MS.default,
  };
}

export function newRouteRecord(
  fields: RouteFields,
  routeId: string,
  managedBy: ManagedBy,
  nowIso: string,
): RouteRecord {
  return { routeId, ...fields, managedBy, createdAt: nowIso };
}

export function renderRoute(route: RouteRecord): Record<string, unknown> {
  return {
    RouteId: route.routeId,
    RouteKey: route.routeKey,
    FunctionName: route.functionName,
    ...(route.qualifier === undefined ? {} : { Qualifier: route.qualifier }),
    PayloadFormatVersion: route.payloadFormatVersion,
    TimeoutInMillis: route.timeoutMs,
    ManagedBy: route.managedBy,
    CreatedAt: route.createdAt,
  };
}
