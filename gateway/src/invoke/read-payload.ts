/**
 * @module
 * Read a request body as raw bytes with a hard limit. A Content-Length over the limit is refused
 * before one byte is read; a chunked body is read until it passes the limit and no further. At
 * most `limit` bytes are ever kept; the rest is read and dropped after the refusal is sent
 * (middleware/drain-unread.ts). A body the signature check already read (auth/signed-body.ts) is
 * taken from there.
 */
import type { IncomingMessage } from 'node:http';
import { AppError, ERRORS } from '@lambdock/core';
import { keptBody } from '../auth/signed-body.js';

export type PayloadKind = 'sync' | 'event';

/** AWS's limit for the arguments of the legacy InvokeAsync. */
const INVOKE_ASYNC_MAX_BYTES = 256 * 1024;

/** InvokeAsync's limit: AWS's, or the Event limit when that is set lower. */
export function invokeAsyncLimit(settings: { asyncPayloadLimitBytes: number }): number {
  return Math.min(INVOKE_ASYNC_MAX_BYTES, settings.asyncPayloadLimitBytes);
}

/** AWS's refusal of an invoke payload over `limit` (`size`: what was declared or read). */
export function payloadTooLarge(kind: PayloadKind, limit: number, size: number): AppError {
  // AWS's texts: the sync one is recorded in public reports, the Event one likewise (with
  // AWS's then 256 KB limit; ours is configurable).
  const message =
    kind === 'sync'
      ? `Request must be smaller than ${limit} bytes for the InvokeFunction operation`
      : `${size} byte payload is too large for the Event invocation type (limit ${limit} bytes)`;
  return new AppError(ERRORS.REQUEST_TOO_LARGE, message);
}

export function readPayload(
  req: IncomingMessage,
  limit: number,
  kind: PayloadKind,
): Promise<Buffer> {
  const kept = keptBody(req);
  if (kept !== undefined) {
    return kept.length > limit
      ? Promise.reject(payloadTooLarge(kind, limit, kept.length))
      : Promise.resolve(kept);
  }
  return readBody(req, limit, (size) => payloadTooLarge(kind, limit, size));
}

/** The body, or `refusal(size)` once it is known to be over `limit`. */
export function readBody(
  req: IncomingMessage,
  limit: number,
  refusal: (size: number) => AppError,
): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) {
    return Promise.reject(refusal(declared));
  }
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) {
        cleanup();
        // Stop the flow: the rest is drained, unkept, once the answer is out.
        req.pause();
        reject(refusal(size));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(
        chunks.length === 1 && chunks[0] !== undefined ? chunks[0] : Buffer.concat(chunks, size),
      );
    };
    const onError = (err: Error): void => {
      cleanup();
      reject(err);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
