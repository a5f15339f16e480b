/**
 * @module
 * The body of InvokeWithResponseStream: a 200 whose event stream carries `PayloadChunk`s (the
 * function's bytes, relayed as the runtime writes them) and one closing `InvokeComplete` (the
 * error code and details of a failed invocation, and the log tail when asked for). The head
 * goes out with the first bytes, so a refusal before any (404, 409, 429 ...) is AWS's JSON
 * error as Invoke gives it. The final reply repeats the whole response: whatever the relayed
 * chunks did not carry (a handler that answered buffered, chunks lost to a reconnect) is sent
 * from it, so a successful response reaches the client whole, every byte once, in order. A
 * failed one ends with its error after the bytes relayed before it. A stream longer than a
 * reply holds (up to STREAM_RESPONSE_LIMIT_BYTES) is repeated only in part: a chunk lost past
 * that part ends the stream with lambdock's error.
 */
import type { ServerResponse } from 'node:http';
import { AppError, ERRORS, INVOKE_HEADERS, type Reply, type ReplyChunk } from '@lambdock/core';
import { encodeEvent } from './event-stream.js';
import { rejectionError } from './render-reply.js';

/** A buffered response is cut into events of at most this many bytes. */
export const PAYLOAD_CHUNK_MAX_BYTES = 256 * 1024;
const STREAM_DEFAULT_CONTENT_TYPE = 'application/octet-stream';
/** A function error whose payload names no type: Invoke's `X-Amz-Function-Error` value. */
const UNTYPED_FUNCTION_ERROR = 'Unhandled';

interface InvokeComplete {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}

export interface StreamReplyWriter {
  /** Give to the invocation as its chunk listener. */
  onChunk(chunk: ReplyChunk): void;
  /**
   * The final reply: the rest of the payload, then InvokeComplete. A rejection throws, as does
   * a loss it cannot repair.
   */
  finish(reply: Reply, logTail: boolean): void;
  /** True once the head went out: a failure can only end the stream now (fail). */
  started(): boolean;
  /** End a started stream with an InvokeComplete naming an error of ours, by its AWS type. */
  fail(errorType: string, message: string): void;
}

/** The error type and message of a function error's payload (`{errorType, errorMessage}`). */
function functionErrorOf(
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
  return { type: type ?? UNTYPED_FUNCTION_ERROR, message };
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
  const payloadChunk = (data: Buffer, contentType: string | undefined): void => {
    if (data.length === 0) return;
    start(contentType);
    res.write(encodeEvent('PayloadChunk', 'application/octet-stream', data));
    sent += data.length;
  };
  const complete = (contentType: string | undefined, event: InvokeComplete): void => {
    start(contentType);
    res.end(encodeEvent('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(event))));
  };

  return {
    onChunk(chunk) {
      // A gap means a frame was lost: the rest comes from the final reply instead.
      if (chunk.seq !== nextSeq) relaying = false;
      nextSeq = chunk.seq + 1;
      if (relaying) payloadChunk(chunk.data, chunk.contentType);
    },
    finish(reply, logTail) {
      const { header, payload } = reply;
      if (header.outcome === 'rejected') throw rejectionError(header);
      const logResult =
        logTail && header.logResult !== undefined ? { LogResult: header.logResult } : {};
      if (header.outcome === 'success') {
        for (let at = sent; at < payload.length; at += PAYLOAD_CHUNK_MAX_BYTES) {
          payloadChunk(payload.subarray(at, at + PAYLOAD_CHUNK_MAX_BYTES), header.contentType);
        }
        // A stream longer than the reply holds, with a chunk lost past what it holds.
        if (sent < (header.streamedBytes ?? 0)) {
          throw new AppError(ERRORS.INTERNAL, `${header.requestId}: relayed chunks were lost`);
        }
        complete(header.contentType, logResult);
        return;
      }
      const error = functionErrorOf(payload, header.errorType);
      complete(header.contentType, {
        ErrorCode: error.type,
        ErrorDetails: error.message,
        ...logResult,
      });
    },
    started: () => head,
    fail(errorType, message) {
      complete(undefined, { ErrorCode: errorType, ErrorDetails: message });
    },
  };
}
