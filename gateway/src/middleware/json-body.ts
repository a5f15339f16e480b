/**
 * @module
 * JSON bodies of management operations. Any content type is read as JSON (clients send
 * `application/json`, some send nothing); over the operation's limit is 413 with AWS's message,
 * rendered by the error handler. A body the signature check already read is parsed here the
 * way the body parser parses (strict: an object or an array; empty is `{}`).
 */
import express, { type RequestHandler } from 'express';
import { AppError, ERRORS } from '@lambdock/core';
import { keptBody } from '../auth/signed-body.js';
import { contextOf } from './request-context.js';
import { requestTooLarge, unparsableJson } from './error-handler.js';

/** AWS's limit for a whole CreateFunction/UpdateFunctionCode request (a 50 MB zip in base64). */
export const CODE_REQUEST_LIMIT_BYTES = 70_167_211;
/** Other management requests carry a few kilobytes of settings. */
export const SETTINGS_REQUEST_LIMIT_BYTES = 1024 * 1024;

function parseKept(body: Buffer, encoding: string | undefined): unknown {
  if (encoding !== undefined && encoding.toLowerCase() !== 'identity') {
    throw new AppError(ERRORS.UNSUPPORTED_MEDIA_TYPE, `Unsupported content encoding "${encoding}"`);
  }
  if (body.length === 0) return {};
  const text = body.toString('utf8');
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
      req.body = parseKept(kept, req.headers['content-encoding']);
      next();
    } catch (err) {
      next(err);
    }
  };
}
