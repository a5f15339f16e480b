/**
 * @module http-connection
 * One persistent HTTP/1.1 connection for the Runtime API's request-response calls (`/next`,
 * `/response`, `/error`, `/init/error`), one request at a time. Node's `http` client costs
 * several times a no-op handler's CPU per request (agent bookkeeping, streams, listeners),
 * and every invocation makes two: this writes each request in one piece and reads the answer
 * with a small state machine covering what the Runtime API uses (Content-Length or chunked
 * bodies, keep-alive, `Connection: close`). An idle connection is unref'd, as Node's
 * keep-alive agent does, so it never keeps the event loop alive and 'beforeExit' still fires.
 */
import net from 'node:net';
import { bodyFraming, HttpProtocolError, parseHead, requestHead } from './http-wire.mjs';

const HEAD_END = Buffer.from('\r\n\r\n');
const LINE_END = Buffer.from('\r\n');
const MAX_LINE_BYTES = 4096;
/** Small bodies share the head's write: one syscall and one packet per request. */
const INLINE_BODY_BYTES = 64 * 1024;

export class HttpConnection {
  #socket;
  #host;
  #maxHeaderBytes;
  #buffer = Buffer.alloc(0);
  #pending;
  #closed = false;

  /** @param {{hostname: string, port: number, host: string, maxHeaderBytes: number}} options */
  constructor({ hostname, port, host, maxHeaderBytes }) {
    this.#host = host;
    this.#maxHeaderBytes = maxHeaderBytes;
    this.#socket = net.connect({ host: hostname, port, noDelay: true });
    this.#socket.unref();
    this.#socket.on('data', (chunk) => this.#onData(chunk));
    this.#socket.on('end', () => this.#onEnd());
    this.#socket.on('close', () => this.#onEnd());
    this.#socket.on('error', (error) => this.#fail(error));
  }

  /** False once the peer closed, an error happened, or the peer asked to close. */
  get reusable() {
    return !this.#closed && this.#pending === undefined;
  }

  destroy() {
    this.#closed = true;
    this.#socket.destroy();
  }

  /**
   * Sends one request; resolves `{statusCode, headers, body}` once the whole answer is read.
   * @param {string} method
   * @param {string} path
   * @param {Record<string, string | number>} headers
   * @param {Buffer | undefined} body
   */
  request(method, path, headers, body) {
    if (this.#pending) return Promise.reject(new Error('connection is busy'));
    if (this.#closed) return Promise.reject(new Error('connection is closed'));
    let head;
    try {
      head = Buffer.from(requestHead(method, path, this.#host, headers), 'latin1');
    } catch (error) {
      return Promise.reject(error);
    }
    return new Promise((resolve, reject) => {
      this.#pending = { resolve, reject, state: 'head', parts: [], remaining: 0, response: null };
      this.#socket.ref();
      if (body === undefined || body.length === 0) this.#socket.write(head);
      else if (body.length <= INLINE_BODY_BYTES) this.#socket.write(Buffer.concat([head, body]));
      else {
        this.#socket.cork();
        this.#socket.write(head);
        this.#socket.write(body);
        this.#socket.uncork();
      }
    });
  }

  #onData(chunk) {
    if (!this.#pending) {
      // Nothing asked for: the peer is not speaking HTTP request-response to us.
      this.destroy();
      return;
    }
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    try {
      while (this.#pending && this.#step(this.#pending));
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Consumes what it can of the buffer; true when another step may make progress. */
  #step(p) {
    switch (p.state) {
      case 'head': {
        const end = this.#buffer.indexOf(HEAD_END);
        if (end === -1) {
          if (this.#buffer.length > this.#maxHeaderBytes) {
            throw new HttpProtocolError('Header overflow');
          }
          return false;
        }
        p.response = parseHead(this.#buffer.toString('latin1', 0, end));
        this.#buffer = this.#buffer.subarray(end + HEAD_END.length);
        this.#frame(p);
        return true;
      }
      case 'length':
      case 'chunk-data': {
        const take = Math.min(p.remaining, this.#buffer.length);
        if (take > 0) p.parts.push(this.#buffer.subarray(0, take));
        this.#buffer = this.#buffer.subarray(take);
        p.remaining -= take;
        if (p.remaining > 0) return false;
        if (p.state === 'length') return this.#complete(p);
        p.state = 'chunk-end';
        return true;
      }
      case 'chunk-end': {
        if (this.#buffer.length < LINE_END.length) return false;
        if (!this.#buffer.subarray(0, 2).equals(LINE_END)) {
          throw new HttpProtocolError('chunk not followed by CRLF');
        }
        this.#buffer = this.#buffer.subarray(2);
        p.state = 'chunk-size';
        return true;
      }
      case 'chunk-size':
      case 'trailers': {
        const line = this.#line();
        if (line === undefined) return false;
        if (p.state === 'trailers') return line === '' ? this.#complete(p) : true;
        const size = /^([0-9a-fA-F]+)[ \t]*(;.*)?$/.exec(line);
        if (!size) throw new HttpProtocolError(`bad chunk size: ${JSON.stringify(line)}`);
        p.remaining = parseInt(size[1], 16);
        p.state = p.remaining === 0 ? 'trailers' : 'chunk-data';
        return true;
      }
      case 'until-close':
        if (this.#buffer.length > 0) p.parts.push(this.#buffer);
        this.#buffer = Buffer.alloc(0);
        return false;
      default:
        return false;
    }
  }

  /** Sets up reading the body the head announces (http-wire.mjs's framing). */
  #frame(p) {
    const framing = bodyFraming(p.response);
    p.closeAfter = framing.closeAfter;
    if (framing.kind === 'none') return this.#complete(p);
    if (framing.kind === 'length') p.remaining = framing.length;
    p.state = framing.kind === 'chunked' ? 'chunk-size' : framing.kind;
  }

  #line() {
    const end = this.#buffer.indexOf(LINE_END);
    if (end === -1) {
      if (this.#buffer.length > MAX_LINE_BYTES) throw new HttpProtocolError('line too long');
      return undefined;
    }
    const line = this.#buffer.toString('latin1', 0, end);
    this.#buffer = this.#buffer.subarray(end + LINE_END.length);
    return line;
  }

  #complete(p) {
    this.#pending = undefined;
    // Bytes past the answer were never asked for: the connection cannot be trusted further.
    if (p.closeAfter || this.#buffer.length > 0) this.destroy();
    else this.#socket.unref();
    const body = p.parts.length === 1 ? p.parts[0] : Buffer.concat(p.parts);
    p.resolve({ statusCode: p.response.statusCode, headers: p.response.headers, body });
    return false;
  }

  #onEnd() {
    const p = this.#pending;
    this.#closed = true;
    if (p?.state === 'until-close') return this.#complete(p);
    if (p) this.#fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  }

  #fail(error) {
    const p = this.#pending;
    this.#pending = undefined;
    this.destroy();
    p?.reject(error);
  }
}
