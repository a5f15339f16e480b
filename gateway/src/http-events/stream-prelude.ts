/**
 * @module
 * Incremental parser for streamed function URL responses. A Node handler that wraps its stream
 * with `awslambda.HttpResponseStream.from(stream, {statusCode, headers, cookies})` makes the
 * runtime label the response `application/vnd.awslambda.http-integration-response` and write a
 * JSON prelude, 8 NUL bytes, then the body. How the caller decides: when the function's response
 * content type is that one (`isHttpIntegrationStream`), feed every chunk to a parser from
 * `createPreludeParser()` and write the head from `preludeResponseHead` once `prelude` appears;
 * any other stream is passed through untouched with status 200 and the function's content type.
 * The prelude is buffered (bounded by `maxPreludeBytes`) until the delimiter, which may be split
 * across chunks; JSON cannot contain a raw NUL, so the first run of 8 NULs is the delimiter.
 */
import {
  MalformedOutput,
  headerText,
  isPlainObject,
  readHeaderObject,
  readStatusCode,
} from './http-response.js';

export const HTTP_INTEGRATION_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
/** Why 64 KiB: a status, headers and cookies; anything larger is a broken stream, not a prelude. */
export const MAX_PRELUDE_BYTES = 64 * 1024;
/** The body type when the prelude names none, as for any Lambda response stream. */
export const STREAM_DEFAULT_CONTENT_TYPE = 'application/octet-stream';

const DELIMITER = Buffer.alloc(8);

export interface StreamPrelude {
  readonly statusCode: number;
  readonly headers: Array<[string, string]>;
  readonly cookies: string[];
}

export type PreludeStep =
  | { readonly ok: true; readonly prelude?: StreamPrelude; readonly body: Buffer[] }
  | { readonly ok: false; readonly message: string };

export interface PreludeParser {
  push(chunk: Buffer): PreludeStep;
  end(): PreludeStep;
}

export interface PreludeParserOptions {
  /** @defaultValue MAX_PRELUDE_BYTES */
  readonly maxPreludeBytes?: number;
}

export function isHttpIntegrationStream(contentType: string | undefined): boolean {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase();
  return type === HTTP_INTEGRATION_CONTENT_TYPE;
}

function readPrelude(bytes: Buffer): StreamPrelude {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new MalformedOutput('the response prelude is not JSON');
  }
  if (!isPlainObject(value)) throw new MalformedOutput('the response prelude is not a JSON object');
  const headers = Object.entries(readHeaderObject(value.headers, 'headers'))
    .filter(([, v]) => v !== null)
    .map(([name, v]): [string, string] => [name, headerText(name, v)]);
  const cookiesField = value.cookies ?? [];
  if (!Array.isArray(cookiesField))
    throw new MalformedOutput('cookies must be an array of strings');
  const cookies = (cookiesField as unknown[]).map((c) => headerText('set-cookie', c));
  const statusCode = value.statusCode === undefined ? 200 : readStatusCode(value.statusCode);
  return { statusCode, headers, cookies };
}

/** Status and headers to write: one `set-cookie` per cookie, a default content type. */
export function preludeResponseHead(prelude: StreamPrelude): {
  statusCode: number;
  headers: Array<[string, string]>;
} {
  const headers = [
    ...prelude.headers,
    ...prelude.cookies.map((c): [string, string] => ['set-cookie', c]),
  ];
  if (!headers.some(([name]) => name.toLowerCase() === 'content-type')) {
    headers.push(['content-type', STREAM_DEFAULT_CONTENT_TYPE]);
  }
  return { statusCode: prelude.statusCode, headers };
}

export function createPreludeParser(options: PreludeParserOptions = {}): PreludeParser {
  const limit = options.maxPreludeBytes ?? MAX_PRELUDE_BYTES;
  let pending = Buffer.alloc(0);
  let state: 'prelude' | 'body' | { message: string } = 'prelude';

  const fail = (message: string): PreludeStep => {
    state = { message };
    pending = Buffer.alloc(0);
    return { ok: false, message };
  };

  return {
    push(chunk: Buffer): PreludeStep {
      if (typeof state === 'object') return { ok: false, message: state.message };
      if (state === 'body') return { ok: true, body: chunk.length > 0 ? [chunk] : [] };
      pending = Buffer.concat([pending, chunk]);
      const at = pending.indexOf(DELIMITER);
      if (at === -1) {
        return pending.length > limit + DELIMITER.length
          ? fail(`no response prelude delimiter within ${limit} bytes`)
          : { ok: true, body: [] };
      }
      if (at > limit) return fail(`the response prelude exceeds ${limit} bytes`);
      let prelude: StreamPrelude;
      try {
        prelude = readPrelude(pending.subarray(0, at));
      } catch (err) {
        if (err instanceof MalformedOutput) return fail(err.message);
        throw err;
      }
      const rest = pending.subarray(at + DELIMITER.length);
      state = 'body';
      pending = Buffer.alloc(0);
      return { ok: true, prelude, body: rest.length > 0 ? [rest] : [] };
    },
    end(): PreludeStep {
      if (typeof state === 'object') return { ok: false, message: state.message };
      if (state === 'body') return { ok: true, body: [] };
      return fail('the stream ended before the response prelude was complete');
    },
  };
}
