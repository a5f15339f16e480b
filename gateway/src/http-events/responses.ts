/**
 * @module
 * Function output → HTTP response, for REST APIs (`mapV1Response`), HTTP APIs and function URLs
 * (`mapV2Response`), plus the responses the gateway gives by itself (`integrationError`).
 */
export {
  DEFAULT_CONTENT_TYPE,
  type HttpResponse,
  type MappedResponse,
  type ResponseFlavor,
} from './http-response.js';
export { integrationError, type IntegrationErrorKind } from './integration-error.js';
export { mapV1Response } from './v1-response.js';
export { mapV2Response, type V2ResponseFlavor } from './v2-response.js';
