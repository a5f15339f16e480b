/**
 * @module
 * JSON bodies of management operations. Any content type is read as JSON (clients send
 * `application/json`, some send nothing); over the operation's limit is 413 with AWS's message,
 * rendered by the error handler. A body the signature check already read is parsed here the
 * way the body parser parses (decompressed; strict: an object or an array; empty is `{}`).
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import express, { type RequestHandler } from 'express';
import { AppError, ERRORS } from '@lambdock/core';
import { keptBody } from '../auth/signed-body.js';
import { contextOf } from './request-context.js';
import { requestTooLarge, unparsableJson } from './error-handler.js';

/** AWS's limit for a whole CreateFunction/UpdateFunctionCode request (a 50 MB zip in base64). */
export const CODE_REQUEST_LIMIT_BYTES = 70_167_211;
/** Other management requests carry a few kilobytes of settings. */
export const SETTINGS_REQUEST_LIMIT_BYTES = 1024 * 1024;

/** The body as the client meant it: decompressed as the body parser would (gzip, deflate, br). */
function decoded(body: Buffer, encoding: string | undefined, limit: number): Buffer {
  const name = (encoding ?? 'identity').toLowerCase();
  const options = { maxOutputLength: limit + 1 };
  let inflate: ((data: Buffer) => Buffer) | undefined;
  if (name === 'identity') return body;
  if (name === 'gzip' || name === 'x-gzip') inflate = (d) => gunzipSync(d, options);
  else if (name === 'deflate') inflate = (d) => inflateSync(d, options);
  else if (name === 'br') inflate = (d) => brotliDecompressSync(d, options);
  if (inflate === undefined) {
    throw new AppError(ERRORS.UNSUPPORTED_MEDIA_TYPE, `unsupported content encoding "${name}"`);
  }
  try {
    return inflate(body);
  } catch (err) {
    if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw requestTooLarge(limit);
    throw unparsableJson(err instanceof Error ? err.message : 'invalid compressed body', err);
  }
}

function parseKept(body: Buffer, encoding: string | undefined, limit: number): unknown {
  if (body.length === 0) return {};
  const inflated = decoded(body, encoding, limit);
  if (inflated.length > limit) throw requestTooLarge(limit);
  const text = inflated.toString('utf8');
  const first = /^[\x20\x09\x0a\x0d]*(.)/.exec(text)?.[1];
  if (first !== '{' && first !== '[')
    throw unparsableJson(`Unexpected token in JSON: ${first ?? 'end'}`);
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw unparsableJson(err instanceof Error ? err.message : 'invalid JSON', err);
  }
}

export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, type: () => true, strict: true });
  return (req, res, next) => {
    const kept = keptBody(req);
    if (kept === undefined) {
      parse(req, res, next);
      return;
    }
    if (kept.length > limitBytes) {
      next(requestTooLarge(limitBytes, contextOf(res).operation));
      return;
    }
    try {
      req.body = parseKept(kept, req.headers['content-encoding'], limitBytes);
      next();
    } catch (err) {
      next(err);
    }
  };
}
