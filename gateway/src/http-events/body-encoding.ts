/**
 * @module
 * How a request body travels in an event: as a plain string when it is textual, otherwise base64
 * with `isBase64Encoded: true`. Textual means a content type of `text/*` or one naming json, xml,
 * javascript or `x-www-form-urlencoded`, AND bytes that are valid UTF-8. No content type at all
 * means binary (function URLs base64 such bodies), and so does `multipart/form-data`. Suffix types
 * count as well: `application/vnd.api+json`, `image/svg+xml`.
 */
import { isUtf8 } from 'node:buffer';

export interface EncodedBody {
  /** undefined when the request had no body bytes. */
  readonly body: string | undefined;
  readonly isBase64Encoded: boolean;
}

/** The media type without parameters, lower-cased: `Text/HTML; charset=x` → `text/html`. */
export function mediaType(contentType: string | undefined): string {
  return (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

export function isTextualMediaType(type: string): boolean {
  return (
    type.startsWith('text/') ||
    type.includes('json') ||
    type.includes('xml') ||
    type.includes('javascript') ||
    type === 'application/x-www-form-urlencoded'
  );
}

/** An exact type or a wildcard range (`image/*`, or all types), as in binaryMediaTypes. */
function matchesMediaRange(type: string, range: string): boolean {
  const wanted = range.trim().toLowerCase();
  if (wanted === '*/*') return true;
  if (wanted.endsWith('/*')) return type.startsWith(wanted.slice(0, -1));
  return type === wanted;
}

/**
 * @param binaryMediaTypes - types always sent as base64 even when textual (REST API setting).
 */
export function encodeBody(
  body: Buffer,
  contentType: string | undefined,
  binaryMediaTypes: readonly string[] = [],
): EncodedBody {
  if (body.length === 0) return { body: undefined, isBase64Encoded: false };
  const type = mediaType(contentType);
  const forcedBinary = binaryMediaTypes.some((range) => matchesMediaRange(type, range));
  if (!forcedBinary && isTextualMediaType(type) && isUtf8(body)) {
    return { body: body.toString('utf8'), isBase64Encoded: false };
  }
  return { body: body.toString('base64'), isBase64Encoded: true };
}
