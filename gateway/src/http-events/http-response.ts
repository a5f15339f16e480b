/**
 * @module
 * The HTTP response the gateway writes for a route or function URL, and the small readers shared
 * by the v1 and v2 response mappers (status codes, header values, bodies).
 */

export interface HttpResponse {
  readonly statusCode: number;
  /** In order; a name may repeat (one `set-cookie` per cookie). */
  readonly headers: Array<[string, string]>;
  readonly body: Buffer;
}

/** A mapped function output; `problem` says why it became an error response (for logs). */
export interface MappedResponse extends HttpResponse {
  readonly problem?: string;
}

export type ResponseFlavor = 'v1' | 'http-api' | 'function-url';

export const DEFAULT_CONTENT_TYPE = 'application/json';

/** Raised inside the mappers only, turned into the flavour's malformed-response error. */
export class MalformedOutput extends Error {}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
// Node refuses CR, LF and NUL in header values; AWS rejects such a response too.
const BAD_HEADER_VALUE = /[\r\n\0]/;

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function parseOutput(output: Buffer): unknown {
  try {
    return JSON.parse(output.toString('utf8')) as unknown;
  } catch {
    throw new MalformedOutput('the function output is not JSON');
  }
}

/** A number or numeric string naming a status in 100..599. */
export function readStatusCode(value: unknown): number {
  const code = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  if (typeof code !== 'number' || !Number.isInteger(code) || code < 100 || code > 599) {
    throw new MalformedOutput(
      `statusCode ${JSON.stringify(value) ?? 'undefined'} is not an HTTP status`,
    );
  }
  return code;
}

/** String, number and boolean values are stringified; anything else is malformed. */
export function headerText(name: string, value: unknown): string {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw new MalformedOutput(`header "${name}" has a value that is not a string`);
  }
  const text = String(value);
  if (!HEADER_NAME.test(name)) throw new MalformedOutput(`"${name}" is not a valid header name`);
  if (BAD_HEADER_VALUE.test(text))
    throw new MalformedOutput(`header "${name}" contains CR, LF or NUL`);
  return text;
}

/** An object of header values, or absent (undefined/null). */
export function readHeaderObject(value: unknown, field: string): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (!isPlainObject(value)) throw new MalformedOutput(`${field} must be an object`);
  return value;
}

export function readBooleanFlag(value: unknown): boolean {
  return value === true;
}

export function withDefaultContentType(headers: Array<[string, string]>): Array<[string, string]> {
  const hasType = headers.some(([name]) => name.toLowerCase() === 'content-type');
  return hasType ? headers : [...headers, ['content-type', DEFAULT_CONTENT_TYPE]];
}

export function bodyBytes(body: string, isBase64Encoded: boolean): Buffer {
  return Buffer.from(body, isBase64Encoded ? 'base64' : 'utf8');
}
