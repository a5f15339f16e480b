/**
 * @module
 * Request bodies as they arrive: a declared length, or chunked coding with its trailers (how
 * runtimes stream responses and report a mid-stream error). Each decoder is fed whatever bytes
 * the connection has and says how many it used, so the bytes after the body stay for the next
 * request. Chunk-size lines and trailers are bounded; body bytes are the reader's to cap.
 */
import type { BodyFraming } from './head.js';

export type Feed = { readonly used: number; readonly data: Buffer[] } | { readonly error: string };

export interface BodyDecoder {
  /** Decode from the start of `input`: the bytes used and the body bytes among them. */
  feed(input: Buffer): Feed;
  readonly done: boolean;
  /** Trailer fields of a chunked body, names lower-cased. */
  readonly trailers: Readonly<Record<string, string>>;
}

/** A chunk-size line (with any extensions) longer than this is refused. */
const MAX_SIZE_LINE = 1024;
/** All trailer fields together. */
const MAX_TRAILER_BYTES = 16 * 1024;
const CHUNK_SIZE = /^([0-9A-Fa-f]{1,13})[ \t]*(?:;.*)?$/;
const FIELD = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):[ \t]*(.*?)[ \t]*$/;
const CRLF = Buffer.from('\r\n');

export function createBodyDecoder(framing: BodyFraming): BodyDecoder {
  return framing.kind === 'chunked' ? chunkedBody() : lengthBody(framing.length);
}

function lengthBody(length: number): BodyDecoder {
  let remaining = length;
  return {
    get done() {
      return remaining === 0;
    },
    trailers: {},
    feed(input) {
      const take = Math.min(remaining, input.length);
      remaining -= take;
      return { used: take, data: take > 0 ? [input.subarray(0, take)] : [] };
    },
  };
}

function chunkedBody(): BodyDecoder {
  let state: 'size' | 'data' | 'data-end' | 'trailer' | 'done' = 'size';
  let remaining = 0;
  let trailerBytes = 0;
  const trailers: Record<string, string> = {};

  return {
    get done() {
      return state === 'done';
    },
    trailers,
    feed(input) {
      const data: Buffer[] = [];
      let pos = 0;
      while (state !== 'done') {
        if (state === 'data') {
          const take = Math.min(remaining, input.length - pos);
          if (take === 0) break;
          data.push(input.subarray(pos, pos + take));
          pos += take;
          remaining -= take;
          if (remaining === 0) state = 'data-end';
          continue;
        }
        if (state === 'data-end') {
          if (input.length - pos < 2) break;
          if (input[pos] !== 0x0d || input[pos + 1] !== 0x0a)
            return { error: 'chunk not followed by CRLF' };
          pos += 2;
          state = 'size';
          continue;
        }
        const eol = input.indexOf(CRLF, pos);
        const limit = state === 'size' ? MAX_SIZE_LINE : MAX_TRAILER_BYTES - trailerBytes;
        if (eol < 0) {
          if (input.length - pos > limit) return { error: `${state} line too long` };
          break;
        }
        if (eol - pos > limit) return { error: `${state} line too long` };
        const line = input.toString('latin1', pos, eol);
        pos = eol + 2;
        if (state === 'size') {
          const size = CHUNK_SIZE.exec(line);
          if (!size) return { error: 'malformed chunk size' };
          remaining = parseInt(size[1] ?? '0', 16);
          state = remaining === 0 ? 'trailer' : 'data';
          continue;
        }
        if (line === '') {
          state = 'done';
          break;
        }
        trailerBytes += line.length + 2;
        const field = FIELD.exec(line);
        if (!field || /[\x00-\x08\x0a-\x1f\x7f]/.test(field[2] ?? '')) {
          return { error: 'malformed trailer field' };
        }
        const name = (field[1] ?? '').toLowerCase();
        const known = trailers[name];
        trailers[name] = known === undefined ? (field[2] ?? '') : `${known}, ${field[2] ?? ''}`;
      }
      return { used: pos, data };
    },
  };
}
