/**
 * @module
 * Writing a streamed function response to the client as it arrives (function URLs in
 * `RESPONSE_STREAM` mode). The first chunk decides the form: the HTTP integration stream
 * (`awslambda.HttpResponseStream`: a JSON prelude with status, headers and cookies, eight NUL
 * bytes, then the body) or a plain stream sent as a 200 with the runtime's content type. When
 * nothing was relayed (the function answered buffered, or the chunks were missed), the final
 * reply's payload, which repeats the whole stream, is written the same way at once.
 */
import type { Response } from 'express';
import type { ReplyChunk } from '@lambdock/core';
import {
  STREAM_DEFAULT_CONTENT_TYPE,
  createPreludeParser,
  isHttpIntegrationStream,
  preludeResponseHead,
  type PreludeParser,
  type PreludeStep,
} from '../http-events/stream-prelude.js';
import { writeHead } from './http-exchange.js';

export interface StreamWriter {
  /** Give to the invocation as its chunk listener. */
  onChunk(chunk: ReplyChunk): void;
  /** True once the status line went out: the response can only be ended now. */
  started(): boolean;
  /** Write a whole stream at once (nothing of it was written). */
  writeWhole(payload: Buffer, contentType: string | undefined): void;
  /** True once a chunk was lost: what was written is not the whole response. */
  broken(): boolean;
  end(): void;
  /**
   * Cut the response (close the connection without the body's last chunk): after the first
   * byte, the only way left to tell the client the body is not whole.
   */
  abort(): void;
}

export function createStreamWriter(
  res: Response,
  extraHeaders: (statusCode: number) => Array<[string, string]>,
): StreamWriter {
  let parser: PreludeParser | undefined;
  let head = false;
  /** Nothing more is written: a chunk was lost, or the prelude was not one. */
  let broken = false;
  /** A chunk was lost on the way: what went out is not the whole response. */
  let lost = false;
  let nextSeq = 0;

  const start = (statusCode: number, headers: Array<[string, string]>): void => {
    writeHead(res, statusCode, [...headers, ...extraHeaders(statusCode)]);
    head = true;
  };

  const apply = (step: PreludeStep): void => {
    if (!step.ok) {
      broken = true;
      if (!head) start(502, [['content-type', 'application/json']]);
      return;
    }
    if (step.prelude !== undefined) {
      const { statusCode, headers } = preludeResponseHead(step.prelude);
      start(statusCode, headers);
    }
    for (const part of step.body) if (part.length > 0) res.write(part);
  };

  const take = (data: Buffer, contentType: string | undefined): void => {
    if (broken) return;
    if (!head && parser === undefined) {
      if (isHttpIntegrationStream(contentType)) parser = createPreludeParser();
      else start(200, [['content-type', contentType ?? STREAM_DEFAULT_CONTENT_TYPE]]);
    }
    if (parser !== undefined) apply(parser.push(data));
    else if (data.length > 0) res.write(data);
  };

  return {
    onChunk(chunk) {
      // A gap means a frame was lost (a reconnect): stop relaying rather than corrupt the body.
      if (chunk.seq !== nextSeq) broken = lost = true;
      nextSeq = chunk.seq + 1;
      take(chunk.data, chunk.contentType);
    },
    started: () => head,
    writeWhole(payload, contentType) {
      // Nothing went out yet: whatever a lost chunk left half-parsed starts over.
      if (!head) {
        parser = undefined;
        broken = lost = false;
      }
      take(payload, contentType);
    },
    broken: () => lost,
    end() {
      if (parser !== undefined && !broken) apply(parser.end());
      if (!head) start(200, [['content-type', STREAM_DEFAULT_CONTENT_TYPE]]);
      res.end();
    },
    abort() {
      res.destroy();
    },
  };
}
