/**
 * @module
 * A body the signature check read (its hash is part of the signature), kept on the request for
 * the route's own reader: the stream is spent by then. Readers take it from here first
 * (invoke/read-payload.ts, middleware/json-body.ts).
 */
import type { IncomingMessage } from 'node:http';

const BODY = Symbol('lambdock.signedBody');

type WithBody = IncomingMessage & { [BODY]?: Buffer };

export function keepBody(req: IncomingMessage, body: Buffer): void {
  (req as WithBody)[BODY] = body;
}

/** The body the signature check read, or undefined when the stream is still unread. */
export function keptBody(req: IncomingMessage): Buffer | undefined {
  return (req as WithBody)[BODY];
}

/** Whether the request has a body to read (a length or chunked framing), as HTTP/1.1 frames it. */
export function hasBody(req: IncomingMessage): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined || req.headers['content-length'] !== undefined
  );
}
