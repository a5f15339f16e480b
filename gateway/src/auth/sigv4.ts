/**
 * @module
 * AWS Signature Version 4, as the SDKs and the CLI sign Lambda requests: the parts of an
 * `Authorization: AWS4-HMAC-SHA256 ...` header, the canonical request (the path URI-encoded
 * once more, as every service but S3 signs it), the string to sign and the signature. Pure:
 * no clock, no keys; request-verifier.ts decides what to accept.
 */
import { createHmac, hash } from 'node:crypto';

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const SCOPE_TERMINATOR = 'aws4_request';
/** The hash of an empty body, the payload line of every GET and DELETE. */
export const EMPTY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

/** The signature's parts, as the Authorization header names them. */
export interface AuthorizationParts {
  accessKeyId: string;
  /** `YYYYMMDD`, the credential scope's date. */
  scopeDate: string;
  region: string;
  service: string;
  terminator: string;
  /** Lower-case header names, in the order signed. */
  signedHeaders: string[];
  signature: string;
}

/** What a request offers for signing: its method, raw target and raw header list. */
export interface SignableRequest {
  method: string;
  /** The path as sent (percent-encoding kept), without the query. */
  rawPath: string;
  /** The query as sent, without `?`. */
  rawQuery: string;
  /** Node's `rawHeaders`: name, value, name, value... */
  rawHeaders: readonly string[];
}

export type ParsedAuthorization =
  | { ok: true; parts: AuthorizationParts }
  | { ok: false; missing: string[] }
  | { ok: false; algorithm: string };

/** Read an Authorization header of the form `AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...`. */
export function parseAuthorization(header: string): ParsedAuthorization {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== ALGORITHM) return { ok: false, algorithm };
  const fields = new Map<string, string>();
  for (const item of trimmed.slice(space + 1).split(',')) {
    const eq = item.indexOf('=');
    if (eq > 0) fields.set(item.slice(0, eq).trim(), item.slice(eq + 1).trim());
  }
  const credential = fields.get('Credential');
  const signedHeaders = fields.get('SignedHeaders');
  const signature = fields.get('Signature');
  const missing = [
    ...(credential ? [] : ['Credential']),
    ...(signature ? [] : ['Signature']),
    ...(signedHeaders ? [] : ['SignedHeaders']),
  ];
  if (!credential || !signedHeaders || !signature) return { ok: false, missing };
  const parts = signatureParts(credential, signedHeaders, signature);
  return parts === undefined ? { ok: false, missing: ['Credential'] } : { ok: true, parts };
}

/**
 * The parts from their three texts, as an Authorization header or a presigned query carries
 * them: `id/date/region/service/terminator`, `host;x-amz-date`, the hex signature. Undefined
 * when the credential is not five parts.
 */
export function signatureParts(
  credential: string,
  signedHeaders: string,
  signature: string,
): AuthorizationParts | undefined {
  const scope = credential.split('/');
  if (scope.length !== 5) return undefined;
  const [accessKeyId = '', scopeDate = '', region = '', service = '', terminator = ''] = scope;
  return {
    accessKeyId,
    scopeDate,
    region,
    service,
    terminator,
    signedHeaders: signedHeaders.split(';').map((h) => h.trim().toLowerCase()),
    signature: signature.toLowerCase(),
  };
}

/** RFC 3986 encoding, which SigV4 uses everywhere: only `A-Z a-z 0-9 - _ . ~` stay as they are. */
export function uriEncode(text: string): string {
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/**
 * The canonical URI: dot segments and empty segments removed (a trailing slash kept), then
 * every segment encoded again, `%` included, as the SDKs and the CLI sign for every service but
 * S3.
 */
export function canonicalUri(rawPath: string): string {
  if (rawPath === '') return '/';
  const segments: string[] = [];
  for (const segment of rawPath.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(segment);
  }
  const trailing = segments.length > 0 && rawPath.endsWith('/') ? '/' : '';
  return `/${segments.map(uriEncode).join('/')}${trailing}`;
}

/** `+` is a space, as the routes' query parser reads it; signers send `%2B` for a plus. */
function decodeQueryPart(part: string): string {
  return decodeURIComponent(part.replace(/\+/g, ' '));
}

/** The `name=value` items of a raw query, split at the first `=` (a bare name has no value). */
function queryItems(rawQuery: string): Array<[string, string]> {
  return rawQuery
    .split('&')
    .filter((item) => item !== '')
    .map((item) => {
      const eq = item.indexOf('=');
      return eq < 0 ? [item, ''] : [item.slice(0, eq), item.slice(eq + 1)];
    });
}

/** The canonical query: each name and value decoded, encoded the RFC 3986 way, sorted. */
export function canonicalQuery(rawQuery: string, exclude?: string): string {
  const lenient = (part: string): string => {
    try {
      return decodeQueryPart(part);
    } catch {
      // Not valid percent-encoding: the client signed it as it was (encoded once more below).
      return part;
    }
  };
  const pairs: [string, string][] = [];
  for (const [rawName, rawValue] of queryItems(rawQuery)) {
    const name = uriEncode(lenient(rawName));
    if (name !== exclude) pairs.push([name, uriEncode(lenient(rawValue))]);
  }
  pairs.sort(([an, av], [bn, bv]) => (an < bn ? -1 : an > bn ? 1 : av < bv ? -1 : av > bv ? 1 : 0));
  return pairs.map(([name, value]) => `${name}=${value}`).join('&');
}

/**
 * Each name once and every escape valid: a signature covers the query sorted and decoded, while
 * a route reads the first of repeated names and decodes bad escapes its own way.
 */
export function isPlainQuery(rawQuery: string): boolean {
  const names = new Set<string>();
  try {
    for (const [rawName, rawValue] of queryItems(rawQuery)) {
      const name = decodeQueryPart(rawName);
      decodeQueryPart(rawValue);
      if (names.has(name)) return false;
      names.add(name);
    }
  } catch {
    return false;
  }
  return true;
}

/** Every value of each signed header, trimmed, inner runs of whitespace made one space, joined by `,`. */
export function canonicalHeaders(rawHeaders: readonly string[], signed: readonly string[]): string {
  const values = new Map<string, string[]>();
  for (const name of signed) values.set(name, []);
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const list = values.get((rawHeaders[i] ?? '').toLowerCase());
    list?.push((rawHeaders[i + 1] ?? '').trim().replace(/\s+/g, ' '));
  }
  return signed.map((name) => `${name}:${(values.get(name) ?? []).join(',')}\n`).join('');
}

export function sha256Hex(data: string | Buffer): string {
  // The one-shot form: no Hash object per call (two per request).
  return hash('sha256', data, 'hex');
}

export function canonicalRequest(
  request: SignableRequest,
  signedHeaders: readonly string[],
  payloadHash: string,
  excludeQuery?: string,
): string {
  return [
    request.method.toUpperCase(),
    canonicalUri(request.rawPath),
    canonicalQuery(request.rawQuery, excludeQuery),
    canonicalHeaders(request.rawHeaders, signedHeaders),
    signedHeaders.join(';'),
    payloadHash,
  ].join('\n');
}

export function credentialScope(
  parts: Pick<AuthorizationParts, 'scopeDate' | 'region' | 'service'>,
): string {
  return `${parts.scopeDate}/${parts.region}/${parts.service}/${SCOPE_TERMINATOR}`;
}

export function stringToSign(amzDate: string, scope: string, canonical: string): string {
  return `${ALGORITHM}\n${amzDate}\n${scope}\n${sha256Hex(canonical)}`;
}

/** The key a secret derives for one day, region and service. */
export function signingKey(
  secret: string,
  scopeDate: string,
  region: string,
  service: string,
): Buffer {
  const date = createHmac('sha256', `AWS4${secret}`).update(scopeDate).digest();
  const inRegion = createHmac('sha256', date).update(region).digest();
  const inService = createHmac('sha256', inRegion).update(service).digest();
  return createHmac('sha256', inService).update(SCOPE_TERMINATOR).digest();
}

export function signatureOf(key: Buffer, toSign: string): string {
  return createHmac('sha256', key).update(toSign).digest('hex');
}
