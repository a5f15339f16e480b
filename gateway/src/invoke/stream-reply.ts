/**
 * @module
 * The body of InvokeWithResponseStream: a 200 whose event stream carries `PayloadChunk`s (the
 * function's bytes, relayed as the runtime writes them) and one closing `InvokeComplete` (the
 * error code and details of a failed invocation, and the log tail when asked for). The head
 * goes out with the first bytes, so a refusal before any (404, 409, 429 ...) is AWS's JSON
 * error as Invoke gives it. The final reply repeats the whole response: whatever the relayed
 * chunks did not carry (a handler that answered buffered, chunks lost to a reconnect) is sent
 * from it, so the client always gets every byte once, in order.
 */
import type { ServerResponse } from 'node:http';
import { INVOKE_HEADERS, type Reply, type ReplyChunk } from '@lambdock/core';
import { encodeEvent } from './event-stream.js';
import { rejectionError } from './render-reply.js';

/** A buffered response is cut into events of at most this many bytes. */
export const PAYLOAD_CHUNK_MAX_BYTES = 256 * 1024;
const STREAM_DEFAULT_CONTENT_TYPE = 'application/octet-stream';

export interface InvokeComplete {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}

export interface StreamReplyWriter {
  /** Give to the invocation as its chunk listener. */
  onChunk(chunk: ReplyChunk): void;
  /** The final reply: the rest of the payload, then InvokeComplete. A rejection before any byte throws. */
  finish(reply: Reply, logTail: boolean): void;
  /**
   * The invocation failed without a reply. Before the head: false, and the caller answers with
   * the error; after it, the stream ends with an InvokeComplete naming it.
   */
  fail(code: string, message: string): boolean;
}

/** The error type and message of a function error's payload (`{errorType, errorMessage}`). */
export function functionErrorOf(
  payload: Buffer,
  headerType: string | undefined,
): { type: string; message: string } {
  let type = headerType;
  let message = payload.toString('utf8');
  try {
    const body = JSON.parse(message) as { errorType?: unknown; errorMessage?: unknown };
    if (typeof body.errorType === 'string') type ??= body.errorType;
    if (typeof body.errorMessage === 'string') message = body.errorMessage;
  } catch {
    // Not JSON: the raw text is the detail.
  }
  return { type: type ?? 'Unhandled', message };
}

export function createStreamReplyWriter(
  res: ServerResponse,
  executedVersion: () => string,
): StreamReplyWriter {
  let head = false;
  /** Bytes of the response sent so far: always a prefix of the final payload. */
  let sent = 0;
  let relaying = true;
  let nextSeq = 0;

  const start = (contentType: string | undefined): void => {
    if (head) return;
    res.statusCode = 200;
    // The SDK reads the stream's own content type (ResponseStreamContentType) from this header.
    res.setHeader('Content-Type', contentType ?? STREAM_DEFAULT_CONTENT_TYPE);
    res.setHeader(INVOKE_HEADERS.EXECUTED_VERSION, executedVersion() || '$LATEST');
    head = true;
  };
  const payloadChunk = (data: Buffer): void => {
    if (data.length === 0) return;
    res.write(encodeEvent('PayloadChunk', 'application/octet-stream', data));
    sent += data.length;
  };
  const complete = (event: InvokeComplete): void => {
    res.end(encodeEvent('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(event))));
  };

  return {
    onChunk(chunk) {
      // A gap means a frame was lost: the rest comes from the final reply instead.
      if (chunk.seq !== nextSeq) relaying = false;
      nextSeq = chunk.seq + 1;
      if (!relaying) return;
      start(chunk.contentType);
      payloadChunk(chunk.data);
    },
    finish(reply, logTail) {
      const { header, payload } = reply;
      if (header.outcome === 'rejected' && !head) throw rejectionError(header);
      const logResult =
        logTail && header.logResult !== undefined ? { LogResult: header.logResult } : {};
      if (header.outcome === 'success') {
        start(header.contentType);
        for (let at = sent; at < payload.length; at += PAYLOAD_CHUNK_MAX_BYTES) {
          payloadChunk(payload.subarray(at, at + PAYLOAD_CHUNK_MAX_BYTES));
        }
        complete(logResult);
        return;
      }
      start(header.contentType);
      const error =
        header.outcome === 'function-error'
          ? functionErrorOf(payload, header.errorType)
          : {
              type: header.error?.code ?? 'ServiceException',
              message: header.error?.message ?? '',
            };
      complete({ ErrorCode: error.type, ErrorDetails: error.message, ...logResult });
    },
    fail(code, message) {
      if (!head) return false;
      complete({ ErrorCode: code, ErrorDetails: message });
      return true;
    },
  };
}
