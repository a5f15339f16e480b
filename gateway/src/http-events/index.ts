/**
 * @module
 * HTTP requests ↔ Lambda events for HTTP routes and function URLs: the request facts, route
 * matching, the REST (v1) and payload 2.0 events, response mapping, function URL CORS and the
 * response-stream prelude. Pure functions only; the express wiring lives elsewhere.
 */
export {
  headerPairs,
  lastHeaderValue,
  type HeaderPair,
  type HttpRequestFacts,
} from './request-facts.js';
export {
  DEFAULT_ROUTE_KEY,
  ROUTE_METHODS,
  parseRouteKey,
  type ParseRouteKeyResult,
  type ParsedRoute,
  type RouteSegment,
} from './route-key.js';
export {
  compileRouteTable,
  matchRoute,
  type CompileRouteTableResult,
  type RouteDefinition,
  type RouteMatch,
  type RouteTable,
} from './route-table.js';
export {
  buildV1Event,
  type ApiGatewayProxyEventV1,
  type V1EventOptions,
  type V1RouteContext,
} from './v1-event.js';
export {
  buildV2Event,
  type ApiGatewayProxyEventV2,
  type V2Flavor,
  type V2RouteContext,
} from './v2-event.js';
export {
  DEFAULT_CONTENT_TYPE,
  integrationError,
  mapV1Response,
  mapV2Response,
  type HttpResponse,
  type IntegrationErrorKind,
  type MappedResponse,
  type ResponseFlavor,
  type V2ResponseFlavor,
} from './responses.js';
export { applyCors, corsHeaders, preflightResponse, type CorsConfig } from './cors.js';
export { CORS_METHODS, validateCors } from './cors-validate.js';
export {
  HTTP_INTEGRATION_CONTENT_TYPE,
  MAX_PRELUDE_BYTES,
  createPreludeParser,
  isHttpIntegrationStream,
  preludeResponseHead,
  type PreludeParser,
  type PreludeStep,
  type StreamPrelude,
} from './stream-prelude.js';
