/**
 * @module
 * The responses a gateway answers by itself when it cannot use the function's output.
 *
 * | kind (failure = function-error, malformed-response, function-missing) | status | body |
 * |--------------------------|-----|-----------------------------------------------|
 * | failure, v1              | 502 | `{"message": "Internal server error"}`        |
 * | failure, http-api        | 500 | `{"message":"Internal Server Error"}`         |
 * | failure, function-url    | 502 | `Internal Server Error`                       |
 * | timeout, v1              | 504 | `{"message": "Endpoint request timed out"}`   |
 * | timeout, http-api        | 504 | `{"message":"Gateway Timeout"}`               |
 * | timeout, function-url    | 504 | `Gateway Timeout`                             |
 * | throttled, v1            | 429 | `{"message":"Too Many Requests"}`             |
 * | throttled, http-api      | 429 | `{"message":"Too Many Requests"}`             |
 * | throttled, function-url  | 429 | `{"Message":"Rate Exceeded."}`                |
 *
 * The 502/500 rows and the v1 timeout are AWS's exact bytes. Choices where AWS differs or is
 * unspecified: REST APIs document 500 for a throttled Lambda, we answer 429 so clients back off;
 * HTTP APIs answer 503 `Service Unavailable` on an integration timeout, we answer 504 for every
 * flavour, in the flavour's own body style. Every response carries `content-type: application/json`
 * (function URLs label even the plain-text error that way).
 */
import { DEFAULT_CONTENT_TYPE, type HttpResponse, type ResponseFlavor } from './http-response.js';

export type IntegrationErrorKind =
  'function-error' | 'malformed-response' | 'function-missing' | 'timeout' | 'throttled';

type Row = Readonly<Record<ResponseFlavor, readonly [status: number, body: string]>>;

const FAILED: Row = {
  v1: [502, '{"message": "Internal server error"}'],
  'http-api': [500, '{"message":"Internal Server Error"}'],
  'function-url': [502, 'Internal Server Error'],
};

const TABLE: Readonly<Record<IntegrationErrorKind, Row>> = {
  'function-error': FAILED,
  'malformed-response': FAILED,
  'function-missing': FAILED,
  timeout: {
    v1: [504, '{"message": "Endpoint request timed out"}'],
    'http-api': [504, '{"message":"Gateway Timeout"}'],
    'function-url': [504, 'Gateway Timeout'],
  },
  throttled: {
    v1: [429, '{"message":"Too Many Requests"}'],
    'http-api': [429, '{"message":"Too Many Requests"}'],
    'function-url': [429, '{"Message":"Rate Exceeded."}'],
  },
};

export function integrationError(kind: IntegrationErrorKind, flavor: ResponseFlavor): HttpResponse {
  const [statusCode, body] = TABLE[kind][flavor];
  return {
    statusCode,
    headers: [['content-type', DEFAULT_CONTENT_TYPE]],
    body: Buffer.from(body, 'utf8'),
  };
}
