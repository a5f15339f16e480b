/**
 * @module http-connection
 * One persistent HTTP/1.1 connection for the Runtime API's request-response calls (`/next`,
 * `/response`, `/error`, `/init/error`). Requests may be pipelined: answers are matched to
 * them in order, and requests sent together share one write. Node's `http` client costs
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
  /** Requests written and not yet answered, oldest first; the first is being read. */
  #queue = [];
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

  /** False while answers are owed, and once the peer closed, failed or asked to close. */
  get reusable() {
    return !this.#closed && this.#queue.length === 0;
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
    return this.pipeline([{ method, path, headers, body }])[0];
  }

  /**
   * Sends requests back to back in one write (bodies over 64 KiB in writes of their own);
   * one promise per request, settled in order as the answers come in.
   * @param {Array<{method: string, path: string, headers: Record<string, string | number>, body?: Buffer}>} requests
   */
  pipeline(requests) {
    if (this.#closed) return requests.map(() => Promise.reject(new Error('connection is closed')));
    const parts = [];
    try {
      for (const { method, path, headers, body } of requests) {
        parts.push(Buffer.from(requestHead(method, path, this.#host, headers), 'latin1'));
        if (body !== undefined && body.length > 0) parts.push(body);
      }
    } catch (error) {
      return requests.map(() => Promise.reject(error));
    }
    const answers = requests.map(
      () =>
        new Promise((resolve, reject) => {
          this.#queue.push({ resolve, reject, state: 'head', parts: [], remaining: 0 });
        }),
    );
    this.#socket.ref();
    const inline = parts.every((part) => part.length <= INLINE_BODY_BYTES);
    if (parts.length === 1) this.#socket.write(parts[0]);
    else if (inline) this.#socket.write(Buffer.concat(parts));
    else {
      this.#socket.cork();
      for (const part of parts) this.#socket.write(part);
      this.#socket.uncork();
    }
    return answers;
  }

  #onData(chunk) {
    if (this.#queue.length === 0) {
      // Nothing asked for: the peer is not speaking HTTP request-response to us.
      this.destroy();
      return;
    }
    this.#buffer = this.#buffer.length === 0 ? chunk : Buffer.concat([this.#buffer, chunk]);
    try {
      while (this.#queue.length > 0 && this.#step(this.#queue[0]));
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

  /** The oldest request has its answer; true when the next one's may already be buffered. */
  #complete(p) {
    this.#queue.shift();
    // Bytes past the last answer owed were never asked for: the connection cannot be trusted.
    const idle = this.#queue.length === 0;
    if (p.closeAfter || (idle && this.#buffer.length > 0)) this.destroy();
    else if (idle) this.#socket.unref();
    const body = p.parts.length === 1 ? p.parts[0] : Buffer.concat(p.parts);
    p.resolve({ statusCode: p.response.statusCode, headers: p.response.headers, body });
    return !idle;
  }

  #onEnd() {
    const p = this.#queue[0];
    this.#closed = true;
    if (p?.state === 'until-close') this.#complete(p);
    this.#fail(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
  }

  /** Every request still owed an answer fails with `error`. */
  #fail(error) {
    const owed = this.#queue.splice(0);
    this.destroy();
    for (const p of owed) p.reject(error);
  }
}
