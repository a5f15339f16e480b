/**
 * @module
 * JSON bodies of management operations. Any content type is read as JSON (clients send
 * `application/json`, some send nothing); over the operation's limit is 413 with AWS's message,
 * rendered by the error handler. A body the signature check already read is replayed through
 * the same parser, so encodings, charsets, limits and messages stay the parser's own.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import express, { type RequestHandler } from 'express';
import { keptBody } from '../auth/signed-body.js';

/** AWS's limit for a whole CreateFunction/UpdateFunctionCode request (a 50 MB zip in base64). */
export const CODE_REQUEST_LIMIT_BYTES = 70_167_211;
/** Other management requests carry a few kilobytes of settings. */
export const SETTINGS_REQUEST_LIMIT_BYTES = 1024 * 1024;

export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, type: () => true, strict: true });
  return (req, res, next) => {
    const kept = keptBody(req);
    if (kept === undefined) {
      parse(req, res, next);
      return;
    }
    // The parser reads a request's headers and its stream; the stream is spent, its bytes kept.
    const fields: { headers: IncomingHttpHeaders; body?: unknown } = { headers: req.headers };
    const replay = Object.assign(Readable.from([kept], { objectMode: false }), fields);
    parse(replay as unknown as typeof req, res, (err?: unknown) => {
      if (err === undefined) req.body = replay.body;
      next(err);
    });
  };
}
