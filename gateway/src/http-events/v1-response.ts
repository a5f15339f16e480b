/**
 * @module
 * Maps a function's output to the REST API (payload 1.0) response. The output must be a JSON
 * object with a `statusCode` (number or numeric string); `body` must be a string when present;
 * anything else is the 502 `Internal server error`, as AWS's "Malformed Lambda proxy response".
 * `headers` and `multiValueHeaders` are merged: a name present in `multiValueHeaders`
 * (case-insensitively) takes its values from there only, as AWS documents. Unknown top-level
 * keys are ignored. `content-type: application/json` is added when the function set none.
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

function mergeHeaders(headersField: unknown, multiField: unknown): Array<[string, string]> {
  const single = readHeaderObject(headersField, 'headers');
  const multi = readHeaderObject(multiField, 'multiValueHeaders');
  const multiNames = new Set(Object.keys(multi).map((name) => name.toLowerCase()));
  const merged: Array<[string, string]> = [];
  for (const [name, value] of Object.entries(single)) {
    if (value === null || multiNames.has(name.toLowerCase())) continue;
    merged.push([name, headerText(name, value)]);
  }
  for (const [name, values] of Object.entries(multi)) {
    if (values === null) continue;
    if (!Array.isArray(values))
      throw new MalformedOutput(`multiValueHeaders "${name}" must be an array`);
    for (const value of values as unknown[]) merged.push([name, headerText(name, value)]);
  }
  return merged;
}

function mapV1Object(output: Buffer): MappedResponse {
  const value = parseOutput(output);
  if (!isPlainObject(value)) throw new MalformedOutput('the function output is not a JSON object');
  const statusCode = readStatusCode(value.statusCode);
  const headers = mergeHeaders(value.headers, value.multiValueHeaders);
  const body = value.body ?? '';
  if (typeof body !== 'string') throw new MalformedOutput('body must be a string');
  return {
    statusCode,
    headers: withDefaultContentType(headers),
    body: bodyBytes(body, readBooleanFlag(value.isBase64Encoded)),
  };
}

export function mapV1Response(output: Buffer): MappedResponse {
  try {
    return mapV1Object(output);
  } catch (err) {
    if (!(err instanceof MalformedOutput)) throw err;
    return { ...integrationError('malformed-response', 'v1'), problem: err.message };
  }
}
