/**
 * @module
 * The HTTP side of routes and function URLs: read the request into the neutral facts the event
 * builders take, and write a mapped response back. Bodies are capped at the sync payload limit
 * (an event carrying more could not be invoked anyway); over it the caller gets API Gateway's 413.
 */
import type { Request, Response } from 'express';
import { ERRORS, isAppError } from '@lambdock/core';
import type { HttpResponse } from '../http-events/http-response.js';
import type { HttpRequestFacts } from '../http-events/request-facts.js';
import { readPayload } from '../invoke/read-payload.js';
import { drainUnread } from '../middleware/drain-unread.js';

const TOO_LARGE: HttpResponse = {
  statusCode: 413,
  headers: [['content-type', 'application/json']],
  body: Buffer.from('{"message":"Request Entity Too Large"}'),
};

/**
 * Headers about this connection rather than the request: API Gateway and function URLs never pass
 * them on (a client's `Connection: keep-alive` is absent from the events AWS delivers).
 */
const HOP_BY_HOP = new Set(['connection', 'keep-alive']);

function endToEndHeaders(rawHeaders: readonly string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i] ?? '';
    if (!HOP_BY_HOP.has(name.toLowerCase())) kept.push(name, rawHeaders[i + 1] ?? '');
  }
  return kept;
}

function clientIp(req: Request): string {
  const ip = req.socket.remoteAddress ?? '';
  return ip.startsWith('::ffff:') ? ip.slice(7) : ip;
}

/** Facts for `req`, or the 413 response when its body is over `limit`. */
export async function readExchange(
  req: Request,
  limit: number,
  requestId: string,
  nowMs: number,
  /** The path inside the API (function URLs drop their `/lambda-url/<id>` prefix). */
  rawPath: string,
): Promise<HttpRequestFacts | HttpResponse> {
  let body: Buffer;
  try {
    body = await readPayload(req, limit, 'sync');
  } catch (err) {
    if (isAppError(err) && err.code === ERRORS.REQUEST_TOO_LARGE.code) return TOO_LARGE;
    throw err;
  }
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return {
    method: req.method.toUpperCase(),
    rawPath,
    rawQueryString: q < 0 ? '' : url.slice(q + 1),
    rawHeaders: endToEndHeaders(req.rawHeaders),
    body,
    sourceIp: clientIp(req),
    protocol: `HTTP/${req.httpVersion}`,
    requestId,
    timeEpochMs: nowMs,
  };
}

/** The raw path of the request (percent-encoding kept, no query). */
export function rawPathOf(req: Request): string {
  const url = req.originalUrl;
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

export function isResponse(value: HttpRequestFacts | HttpResponse): value is HttpResponse {
  return 'statusCode' in value;
}

/**
 * Send the status line with `headers`, grouped per name and set as arrays: once a header was
 * set on `res` (the request id is), Node's writeHead keeps only the last of repeated names in a
 * raw list, losing all but one set-cookie.
 */
export function writeHead(
  res: Response,
  statusCode: number,
  headers: readonly (readonly [string, string])[],
): void {
  const grouped = new Map<string, { name: string; values: string[] }>();
  for (const [name, value] of headers) {
    const group = grouped.get(name.toLowerCase());
    if (group === undefined) grouped.set(name.toLowerCase(), { name, values: [value] });
    else group.values.push(value);
  }
  for (const { name, values } of grouped.values())
    res.setHeader(name, values.length === 1 ? (values[0] ?? '') : values);
  res.writeHead(statusCode);
}

/** Write `response` with `extra` headers (request ids, CORS) after the function's own. */
export function writeResponse(
  res: Response,
  response: HttpResponse,
  extra: readonly (readonly [string, string])[] = [],
): void {
  const headers = [...response.headers, ...extra];
  if (!headers.some(([name]) => name.toLowerCase() === 'content-length'))
    headers.push(['content-length', String(response.body.length)]);
  writeHead(res, response.statusCode, headers);
  res.end(response.body);
  drainUnread(res.req);
}
