/**
 * @module
 * JSON bodies of management operations. Any content type is read as JSON (clients send
 * `application/json`, some send nothing); over the operation's limit is 413 with AWS's message,
 * rendered by the error handler. The body is read here, up to the limit and no further (a
 * larger one is refused as soon as that is known, and the rest drained by the error handler),
 * or taken from the signature check, which read it already; then it is replayed through the
 * parser, so encodings, charsets and messages stay the parser's own.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { Readable } from 'node:stream';
import express, { type RequestHandler } from 'express';
import { isAppError } from '@lambdock/core';
import { keptBody } from '../auth/signed-body.js';
import { readBody } from '../invoke/read-payload.js';
import { requestTooLarge } from './error-handler.js';
import { contextOf } from './request-context.js';

/**
 * A body that stopped coming (the client went away): answered as the parser answers it, a 400
 * the error handler logs at debug level, not as a fault of the gateway.
 */
function aborted(cause: unknown): Error {
  return Object.assign(new Error('request aborted', { cause }), {
    type: 'request.aborted',
    status: 400,
    expose: true,
  });
}

/** AWS's limit for a whole CreateFunction/UpdateFunctionCode request (a 50 MB zip in base64). */
export const CODE_REQUEST_LIMIT_BYTES = 70_167_211;
/** Other management requests carry a few kilobytes of settings. */
export const SETTINGS_REQUEST_LIMIT_BYTES = 1024 * 1024;

export function jsonBody(limitBytes: number): RequestHandler {
  const parse = express.json({ limit: limitBytes, type: () => true, strict: true });
  return (req, res, next) => {
    const kept = keptBody(req);
    const read =
      kept === undefined
        ? readBody(req, limitBytes, () => requestTooLarge(limitBytes, contextOf(res).operation))
        : Promise.resolve(kept);
    read.then(
      (bytes) => {
        // The parser reads a request's headers and its stream; the stream is spent, its bytes
        // kept.
        const fields: { headers: IncomingHttpHeaders; body?: unknown } = { headers: req.headers };
        const replay = Object.assign(Readable.from([bytes], { objectMode: false }), fields);
        parse(replay as unknown as typeof req, res, (err?: unknown) => {
          if (err === undefined) req.body = replay.body;
          next(err);
        });
      },
      (err: unknown) => next(isAppError(err) ? err : aborted(err)),
    );
  };
}
