/**
 * @module
 * Maps a function's output to the payload 2.0 response of HTTP APIs and function URLs.
 *
 * - A JSON object WITH `statusCode` is a structured response: `headers` (values stringified, arrays
 *   joined with `,`), each `cookies` entry as its own `set-cookie`, `body` (base64-decoded when
 *   `isBase64Encoded`). A non-string body is JSON-serialized for function URLs and malformed for
 *   HTTP APIs. `multiValueHeaders` does not exist in 2.0 and is ignored.
 * - Any other JSON value is the body itself: 200, `application/json`, re-serialized compactly
 *   (`{"hello": "world"}` → `{"hello":"world"}`). A string keeps its quotes on HTTP APIs and is
 *   sent raw on function URLs. Empty output counts as JSON `null`, as Lambda reports it.
 * - Output that is not JSON, or a malformed structured response, is the flavour's error response.
 * `content-type: application/json` is added whenever the function set none.
 */
import {
  MalformedOutput,
  bodyBytes,
  headerText,
  isPlainObject,
  parseOutput,
  readBooleanFlag,
  readHeaderObject,
  readStatusCode,
  withDefaultContentType,
  type MappedResponse,
} from './http-response.js';
import { integrationError } from './integration-error.js';

export type V2ResponseFlavor = 'http-api' | 'function-url';

function readHeaders(field: unknown): Array<[string, string]> {
  const headers: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(readHeaderObject(field, 'headers'))) {
    if (value === null) continue;
    const text = Array.isArray(value)
      ? (value as unknown[]).map((item) => headerText(name, item)).join(',')
      : headerText(name, value);
    headers.push([name, text]);
  }
  return headers;
}

function readCookies(field: unknown): Array<[string, string]> {
  if (field === undefined || field === null) return [];
  if (!Array.isArray(field)) throw new MalformedOutput('cookies must be an array of strings');
  return (field as unknown[]).map((cookie) => ['set-cookie', headerText('set-cookie', cookie)]);
}

function readBody(value: Record<string, unknown>, flavor: V2ResponseFlavor): Buffer {
  const body = value.body ?? '';
  if (typeof body === 'string') return bodyBytes(body, readBooleanFlag(value.isBase64Encoded));
  if (flavor === 'http-api') throw new MalformedOutput('body must be a string');
  return Buffer.from(JSON.stringify(body), 'utf8');
}

function mapV2Value(output: Buffer, flavor: V2ResponseFlavor): MappedResponse {
  const value = output.length === 0 ? null : parseOutput(output);
  if (!isPlainObject(value) || !('statusCode' in value)) {
    const text =
      flavor === 'function-url' && typeof value === 'string' ? value : JSON.stringify(value);
    return {
      statusCode: 200,
      headers: withDefaultContentType([]),
      body: Buffer.from(text, 'utf8'),
    };
  }
  const statusCode = readStatusCode(value.statusCode);
  const headers = [...readHeaders(value.headers), ...readCookies(value.cookies)];
  return { statusCode, headers: withDefaultContentType(headers), body: readBody(value, flavor) };
}

export function mapV2Response(output: Buffer, flavor: V2ResponseFlavor): MappedResponse {
  try {
    return mapV2Value(output, flavor);
  } catch (err) {
    if (!(err instanceof MalformedOutput)) throw err;
    return { ...integrationError('malformed-response', flavor), problem: err.message };
  }
}
