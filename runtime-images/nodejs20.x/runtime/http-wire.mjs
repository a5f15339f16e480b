/**
 * @module http-wire
 * The HTTP/1.1 text of the Runtime API's calls: request heads written with Node's own checks
 * on paths and header values (so user-supplied error types can never inject a header), and
 * response heads read into a status, lower-cased headers and the body's framing.
 */
const INVALID_PATH = /[^\u0021-\u00ff]/;
const INVALID_HEADER_VALUE = /[^\t\x20-\x7e\x80-\xff]/;

export class HttpProtocolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'HttpProtocolError';
    this.code = 'HPE_INVALID';
  }
}

const STATUS_LINE = /^HTTP\/1\.([01]) (\d{3})(?: |$)/;

/** Parses a response head: status, headers (names lower-cased, repeats joined; no prototype). */
export function parseHead(text) {
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = text.length;
  const status = STATUS_LINE.exec(text.slice(0, eol));
  if (!status) {
    throw new HttpProtocolError(`bad status line: ${JSON.stringify(text.slice(0, eol))}`);
  }
  const headers = Object.create(null);
  for (let at = eol + 2; at <= text.length; at = eol + 2) {
    eol = text.indexOf('\r\n', at);
    if (eol < 0) eol = text.length;
    const colon = text.indexOf(':', at);
    if (colon <= at || colon > eol) {
      throw new HttpProtocolError(`bad header line: ${JSON.stringify(text.slice(at, eol))}`);
    }
    const name = text.slice(at, colon).trim().toLowerCase();
    const value = text.slice(colon + 1, eol).trim();
    const seen = headers[name];
    headers[name] = seen === undefined ? value : `${seen}, ${value}`;
  }
  return { http10: status[1] === '0', statusCode: Number(status[2]), headers };
}

/**
 * How the body after a head is delimited (RFC 9112 §6.3), and whether the connection ends
 * with it: `none`, `length` (with `length`), `chunked`, or `until-close`.
 */
export function bodyFraming({ statusCode, headers, http10 }) {
  const connection = (headers.connection ?? '').toLowerCase();
  const closeAfter = http10 ? !connection.includes('keep-alive') : connection.includes('close');
  if (statusCode < 200) throw new HttpProtocolError(`unexpected status ${statusCode}`);
  if (statusCode === 204 || statusCode === 304) return { kind: 'none', closeAfter };
  if (/(^|,)\s*chunked\s*$/i.test(headers['transfer-encoding'] ?? '')) {
    return { kind: 'chunked', closeAfter };
  }
  const length = headers['content-length'];
  if (length === undefined) return { kind: 'until-close', closeAfter: true };
  if (!/^\d+$/.test(length)) throw new HttpProtocolError(`bad content-length: ${length}`);
  return Number(length) === 0
    ? { kind: 'none', closeAfter }
    : { kind: 'length', length: Number(length), closeAfter };
}

/** The request's head: request line, Host, then the given headers. Throws on unsafe input. */
export function requestHead(method, path, host, headers) {
  if (INVALID_PATH.test(path)) throw new TypeError('Request path contains unescaped characters');
  let head = `${method} ${path} HTTP/1.1\r\nHost: ${host}\r\n`;
  for (const name of Object.keys(headers)) {
    const value = String(headers[name]);
    if (INVALID_HEADER_VALUE.test(value)) {
      throw new TypeError(`Invalid character in header content ["${name}"]`);
    }
    head += `${name}: ${value}\r\n`;
  }
  return `${head}\r\n`;
}
