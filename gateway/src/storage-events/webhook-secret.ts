/**
 * @module
 * The per-webhook secret. MinIO sends it as `Authorization: Bearer <token>`; Ceph RGW cannot
 * add headers, so it travels in the push-endpoint URL as `?token=<token>`, which RGW keeps
 * verbatim. The comparison takes the same time whatever the input.
 */
import { createHash, timingSafeEqual } from 'node:crypto';

export type HeaderMap = Record<string, string | string[] | undefined>;

const BEARER = /^Bearer +(\S+) *$/i;

/** A header by name, any case; a repeated header is ambiguous and counts as absent. */
function singleHeader(headers: HeaderMap, name: string): string | undefined {
  const found = Object.keys(headers).find((key) => key.toLowerCase() === name);
  const value = found === undefined ? undefined : headers[found];
  if (Array.isArray(value)) return value.length === 1 ? value[0] : undefined;
  return value;
}

/** The token the sender presented: the Bearer header first, then the `token` query parameter. */
export function presentedSecret(
  headers: HeaderMap,
  query: Record<string, unknown>,
): string | undefined {
  const authorization = singleHeader(headers, 'authorization');
  const bearer = authorization === undefined ? undefined : BEARER.exec(authorization)?.[1];
  if (bearer !== undefined) return bearer;
  const token = query['token'];
  // `?token=a&token=b` is ambiguous and counts as absent.
  return typeof token === 'string' && token !== '' ? token : undefined;
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Compare in constant time. Hashing first makes both sides 32 bytes, so the length of the
 * expected secret does not leak either. An empty expected secret never matches.
 */
export function secretMatches(expected: string, presented: string | undefined): boolean {
  if (expected === '' || presented === undefined) return false;
  return timingSafeEqual(digest(expected), digest(presented));
}
