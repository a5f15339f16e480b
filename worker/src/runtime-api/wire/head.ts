/**
 * @module
 * The head of an HTTP/1.1 request from a runtime: request line, header fields and how its
 * body is framed. Strict where laxness lets a request be read two ways (both Content-Length
 * and Transfer-Encoding, differing lengths, folded or space-padded field names), and bounded:
 * a head longer than `maxBytes` or with more than {@link MAX_FIELDS} fields is refused.
 */

export interface RequestHead {
  readonly method: string;
  /** The request target as sent (origin form: a path, maybe a query). */
  readonly target: string;
  /** HTTP/1.0: the connection closes after the answer unless the runtime asks to keep it. */
  readonly http10: boolean;
  /** Lower-cased names; a repeated field's values joined with ", ". */
  readonly headers: Readonly<Record<string, string>>;
  readonly framing: BodyFraming;
  /** Bytes of the head, its final blank line included. */
  readonly bytes: number;
}

export type BodyFraming =
  { readonly kind: 'length'; readonly length: number } | { readonly kind: 'chunked' };

export type HeadResult =
  | { readonly kind: 'incomplete' }
  | { readonly kind: 'bad'; readonly reason: string; readonly tooLarge?: boolean }
  | { readonly kind: 'head'; readonly head: RequestHead };

export const MAX_FIELDS = 128;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) (\/[\x21-\x7e]*) HTTP\/1\.([01])$/;
// Field values: visible characters, spaces, tabs and obs-text; never CR, LF or NUL.
const BAD_VALUE = /[\x00-\x08\x0a-\x1f\x7f]/;
const END = Buffer.from('\r\n\r\n');

const bad = (reason: string, tooLarge = false): HeadResult => ({ kind: 'bad', reason, tooLarge });

/** Parse the head at the start of `input`; empty lines before it are skipped (RFC 9112 §2.2). */
export function parseHead(input: Buffer, maxBytes: number): HeadResult {
  let start = 0;
  while (input[start] === 0x0d && input[start + 1] === 0x0a) start += 2;
  const end = input.indexOf(END, start);
  if (end < 0) {
    return input.length - start > maxBytes
      ? bad('request head too large', true)
      : { kind: 'incomplete' };
  }
  if (end + 4 - start > maxBytes) return bad('request head too large', true);
  const lines = input.toString('latin1', start, end).split('\r\n');
  const line = REQUEST_LINE.exec(lines[0] ?? '');
  if (!line) return bad('malformed request line');
  if (lines.length - 1 > MAX_FIELDS) return bad('too many header fields', true);
  const headers: Record<string, string> = {};
  for (let i = 1; i < lines.length; i++) {
    const field = lines[i] ?? '';
    const colon = field.indexOf(':');
    const name = field.slice(0, colon).toLowerCase();
    if (colon <= 0 || !TOKEN.test(name)) return bad('malformed header field');
    const value = field.slice(colon + 1).trim();
    if (BAD_VALUE.test(value)) return bad('malformed header value');
    const known = headers[name];
    if (known === undefined) headers[name] = value;
    else if (name === 'content-length') {
      if (known !== value) return bad('conflicting content-length');
    } else headers[name] = `${known}, ${value}`;
  }
  const framing = framingOf(headers);
  if (typeof framing === 'string') return bad(framing);
  return {
    kind: 'head',
    head: {
      method: line[1] ?? '',
      target: line[2] ?? '/',
      http10: line[3] === '0',
      headers,
      framing,
      bytes: end + 4,
    },
  };
}

/** How the body is delimited, or why it cannot be told. */
function framingOf(headers: Readonly<Record<string, string>>): BodyFraming | string {
  const encoding = headers['transfer-encoding'];
  const length = headers['content-length'];
  if (encoding !== undefined) {
    if (length !== undefined) return 'both content-length and transfer-encoding';
    if (encoding.toLowerCase() !== 'chunked') return 'unsupported transfer-encoding';
    return { kind: 'chunked' };
  }
  if (length === undefined) return { kind: 'length', length: 0 };
  if (!/^\d{1,15}$/.test(length)) return 'malformed content-length';
  return { kind: 'length', length: Number(length) };
}
