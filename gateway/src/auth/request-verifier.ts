/**
 * @module
 * Which signed requests the gateway accepts when `ACCESS_KEYS` is set: an AWS4-HMAC-SHA256
 * signature by a listed key, scoped to `lambda` (any region), dated within 5 minutes of the
 * gateway's clock, over the request as received, body included. Checked in two steps, because
 * the signature covers the body's hash: `begin` refuses what the headers alone give away
 * before a byte of the body is read, `finish` checks the signature once the body is in. A GET
 * can also be presigned (the signature in the query, as `Code.Location` carries it).
 * Refusals are AWS's errors, with AWS's messages.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { AppError, ERRORS } from '@lambdock/core';
import {
  ALGORITHM,
  EMPTY_SHA256,
  SCOPE_TERMINATOR,
  canonicalRequest,
  credentialScope,
  isPlainQuery,
  parseAuthorization,
  sha256Hex,
  signatureOf,
  signatureParts,
  signingKey,
  stringToSign,
  uriEncode,
  type AuthorizationParts,
  type SignableRequest,
} from './sigv4.js';

export const SIGNING_SERVICE = 'lambda';
/** How far a request's date may be from the gateway's clock, as AWS allows. */
export const MAX_SKEW_MS = 5 * 60_000;
/** The longest a presigned URL may live, as SigV4 allows (7 days). */
const MAX_PRESIGN_S = 7 * 86_400;
const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';
/** Empty, `.` and `..` segments: a signature covers the path normalized, a route sees it raw. */
const UNNORMALIZED_PATH = /\/\/|\/\.\.?(\/|$)/;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const SIGNATURE_MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** A request whose headers passed: what `finish` needs to check the signature over its body. */
export interface SignatureCheck {
  parts: AuthorizationParts;
  amzDate: string;
  request: SignableRequest;
  /** Presigned: a GET without a body, signed in its query (the signature itself left out). */
  presigned: boolean;
}

export interface RequestVerifier {
  /**
   * Refuse what the headers (or a presigned query) alone show to be unacceptable. `service`
   * is the one the credential must be scoped to: `lambda`, or `logs` for the CloudWatch Logs
   * API.
   */
  begin(req: IncomingMessage & { originalUrl?: string }, service?: string): SignatureCheck;
  /** Check the signature over the request and its body. */
  finish(check: SignatureCheck, body: Buffer): void;
  /** A URL on `host` for GET `pathAndQuery`, presigned with the key that signed `check`. */
  presignGet(check: SignatureCheck, origin: string, pathAndQuery: string, expiresS: number): string;
}

export interface VerifierOptions {
  /** Access key id → secret access key. */
  keys: ReadonlyMap<string, string>;
  now: () => number;
}

function parseAmzDate(text: string): number | undefined {
  const m = AMZ_DATE.exec(text);
  if (m === null) return undefined;
  const [, y, mo, d, h, mi, s] = m.map(Number) as [number, ...number[]];
  return Date.UTC(y ?? 0, (mo ?? 1) - 1, d, h, mi, s);
}

export function formatAmzDate(ms: number): string {
  return new Date(ms)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function incomplete(message: string): AppError {
  return new AppError(ERRORS.INCOMPLETE_SIGNATURE, message);
}

function invalid(message: string): AppError {
  return new AppError(ERRORS.INVALID_SIGNATURE, message);
}

function splitUrl(url: string): { rawPath: string; rawQuery: string } {
  const q = url.indexOf('?');
  return q < 0
    ? { rawPath: url, rawQuery: '' }
    : { rawPath: url.slice(0, q), rawQuery: url.slice(q + 1) };
}

/** A presigned request's parameters, from its query. */
function presignedParts(query: URLSearchParams): {
  parts: AuthorizationParts;
  amzDate: string;
  expires: string;
} {
  const missing = [
    'X-Amz-Algorithm',
    'X-Amz-Credential',
    'X-Amz-Date',
    'X-Amz-Expires',
    'X-Amz-SignedHeaders',
    'X-Amz-Signature',
  ].filter((name) => !query.get(name));
  if (missing.length > 0) {
    throw incomplete(missing.map((name) => `Query string requires '${name}' parameter.`).join(' '));
  }
  const algorithm = query.get('X-Amz-Algorithm') ?? '';
  if (algorithm !== ALGORITHM) throw incomplete(`Unsupported AWS 'algorithm': '${algorithm}'.`);
  const parts = signatureParts(
    query.get('X-Amz-Credential') ?? '',
    query.get('X-Amz-SignedHeaders') ?? '',
    query.get('X-Amz-Signature') ?? '',
  );
  if (parts === undefined) throw incomplete("Query string requires 'X-Amz-Credential' parameter.");
  return {
    parts,
    amzDate: query.get('X-Amz-Date') ?? '',
    expires: query.get('X-Amz-Expires') ?? '',
  };
}

export function createRequestVerifier(options: VerifierOptions): RequestVerifier {
  const { keys, now } = options;
  // Deriving a key is four HMACs; a client signs all of a day's requests with the same one.
  const derived = new Map<string, Buffer>();
  function keyFor(parts: AuthorizationParts, secret: string): Buffer {
    const id = `${parts.accessKeyId}/${credentialScope(parts)}`;
    let key = derived.get(id);
    if (key === undefined) {
      if (derived.size >= 256) derived.clear();
      key = signingKey(secret, parts.scopeDate, parts.region, parts.service);
      derived.set(id, key);
    }
    return key;
  }

  function secretOf(parts: AuthorizationParts): string {
    const secret = keys.get(parts.accessKeyId);
    if (secret === undefined) {
      throw new AppError(
        ERRORS.UNRECOGNIZED_CLIENT,
        'The security token included in the request is invalid.',
      );
    }
    return secret;
  }

  function checkScope(parts: AuthorizationParts, amzDate: string, service: string): void {
    if (parts.terminator !== SCOPE_TERMINATOR) {
      throw invalid(
        `Credential should be scoped with a valid terminator: '${SCOPE_TERMINATOR}', not '${parts.terminator}'.`,
      );
    }
    if (parts.service !== service) {
      throw invalid(`Credential should be scoped to correct service: '${service}'. `);
    }
    if (parts.scopeDate !== amzDate.slice(0, 8)) {
      throw invalid(
        `Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${parts.scopeDate}' != '${amzDate.slice(0, 8)}', from '${amzDate}'.`,
      );
    }
    if (!parts.signedHeaders.includes('host')) {
      throw incomplete("'Host' or ':authority' must be a 'SignedHeader' in the AWS Authorization.");
    }
  }

  function checkHeaderDate(amzDate: string, signedAt: number): void {
    const at = now();
    if (signedAt < at - MAX_SKEW_MS) {
      throw invalid(
        `Signature expired: ${amzDate} is now earlier than ${formatAmzDate(at - MAX_SKEW_MS)} (${formatAmzDate(at)} - 5 min.)`,
      );
    }
    if (signedAt > at + MAX_SKEW_MS) {
      throw invalid(
        `Signature not yet current: ${amzDate} is still later than ${formatAmzDate(at + MAX_SKEW_MS)} (${formatAmzDate(at)} + 5 min.)`,
      );
    }
  }

  function beginPresigned(
    request: SignableRequest,
    query: URLSearchParams,
    method: string,
  ): SignatureCheck {
    const { parts, amzDate, expires } = presignedParts(query);
    if (method !== 'GET' && method !== 'HEAD') {
      throw invalid('Only a GET request can be presigned.');
    }
    const signedAt = parseAmzDate(amzDate);
    if (signedAt === undefined)
      throw incomplete(`X-Amz-Date must be in the ISO8601 Long Format: '${amzDate}'.`);
    const lifetime = /^\d{1,7}$/.test(expires) ? Number(expires) : Number.NaN;
    if (!(lifetime >= 1 && lifetime <= MAX_PRESIGN_S)) {
      throw invalid(`X-Amz-Expires must be between 1 and ${MAX_PRESIGN_S} seconds.`);
    }
    const at = now();
    if (signedAt > at + MAX_SKEW_MS) throw invalid('Request is not yet valid.');
    if (at > signedAt + lifetime * 1000) throw invalid('Request has expired.');
    checkScope(parts, amzDate, SIGNING_SERVICE);
    secretOf(parts);
    return { parts, amzDate, request, presigned: true };
  }

  return {
    begin(req, service = SIGNING_SERVICE) {
      const url = req.originalUrl ?? req.url ?? '/';
      const request: SignableRequest = {
        method: req.method ?? 'GET',
        ...splitUrl(url),
        rawHeaders: req.rawHeaders,
      };
      if (UNNORMALIZED_PATH.test(request.rawPath)) {
        throw invalid("The request path holds an empty, '.' or '..' segment; send it normalized.");
      }
      if (!isPlainQuery(request.rawQuery)) {
        throw invalid(
          'The query repeats a parameter or holds an invalid escape; send each parameter once, percent-encoded.',
        );
      }
      const authorization = header(req, 'authorization');
      if (authorization === undefined) {
        const query = new URLSearchParams(request.rawQuery);
        if (query.has('X-Amz-Signature') || query.has('X-Amz-Credential')) {
          return beginPresigned(request, query, request.method);
        }
        throw new AppError(ERRORS.MISSING_SIGNATURE, 'Missing Authentication Token');
      }
      const parsed = parseAuthorization(authorization);
      if (!parsed.ok) {
        if ('algorithm' in parsed) {
          throw incomplete(`Unsupported AWS 'algorithm': '${parsed.algorithm}'.`);
        }
        throw incomplete(
          `${parsed.missing.map((p) => `Authorization header requires '${p}' parameter.`).join(' ')} Authorization=${authorization}`,
        );
      }
      const amzDate = header(req, 'x-amz-date');
      if (amzDate === undefined) {
        throw incomplete(
          `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`,
        );
      }
      const signedAt = parseAmzDate(amzDate);
      if (signedAt === undefined) {
        throw incomplete(`X-Amz-Date must be in the ISO8601 Long Format: '${amzDate}'.`);
      }
      checkHeaderDate(amzDate, signedAt);
      checkScope(parsed.parts, amzDate, service);
      secretOf(parsed.parts);
      return { parts: parsed.parts, amzDate, request, presigned: false };
    },

    finish(check, body) {
      const { parts, amzDate, request, presigned } = check;
      if (presigned && body.length > 0) throw invalid('A presigned request carries no body.');
      const key = keyFor(parts, secretOf(parts));
      const matches = (payload: string): boolean => {
        const canonical = canonicalRequest(
          request,
          parts.signedHeaders,
          payload,
          presigned ? 'X-Amz-Signature' : undefined,
        );
        const expected = signatureOf(key, stringToSign(amzDate, credentialScope(parts), canonical));
        const given = Buffer.from(parts.signature, 'utf8');
        const wanted = Buffer.from(expected, 'utf8');
        return given.length === wanted.length && timingSafeEqual(given, wanted);
      };
      // A presigned GET is signed over the empty body's hash (the SDKs) or over no body at all
      // (`UNSIGNED-PAYLOAD`, botocore's presigner); either way it has none.
      const signedOver = presigned
        ? matches(EMPTY_SHA256) || matches(UNSIGNED_PAYLOAD)
        : matches(sha256Hex(body));
      if (!signedOver) throw invalid(SIGNATURE_MISMATCH);
    },

    presignGet(check, origin, pathAndQuery, expiresS) {
      const { accessKeyId, region } = check.parts;
      const secret = secretOf(check.parts);
      const amzDate = formatAmzDate(now());
      const parts: AuthorizationParts = {
        accessKeyId,
        scopeDate: amzDate.slice(0, 8),
        region,
        service: SIGNING_SERVICE,
        terminator: SCOPE_TERMINATOR,
        signedHeaders: ['host'],
        signature: '',
      };
      const host = new URL(origin).host;
      const { rawPath, rawQuery } = splitUrl(pathAndQuery);
      const query = [
        ...(rawQuery === '' ? [] : [rawQuery]),
        `X-Amz-Algorithm=${ALGORITHM}`,
        `X-Amz-Credential=${uriEncode(`${accessKeyId}/${credentialScope(parts)}`)}`,
        `X-Amz-Date=${amzDate}`,
        `X-Amz-Expires=${expiresS}`,
        'X-Amz-SignedHeaders=host',
      ].join('&');
      const canonical = canonicalRequest(
        { method: 'GET', rawPath, rawQuery: query, rawHeaders: ['host', host] },
        parts.signedHeaders,
        EMPTY_SHA256,
      );
      const signature = signatureOf(
        keyFor(parts, secret),
        stringToSign(amzDate, credentialScope(parts), canonical),
      );
      return `${origin}${rawPath}?${query}&X-Amz-Signature=${signature}`;
    },
  };
}
