/**
 * @module response-stream
 * The writable stream a streaming handler receives, posted to the Runtime API as a chunked
 * `/response` with `Lambda-Runtime-Function-Response-Mode: streaming`. A failure after the
 * stream started is reported in the trailers `Lambda-Runtime-Function-Error-Type` and
 * `Lambda-Runtime-Function-Error-Body` (base64 JSON), as AWS's runtime does.
 */
import { Writable } from 'node:stream';
import { InvalidStreamingOperation, toErrorBody } from './errors.mjs';

const ERROR_TYPE_TRAILER = 'Lambda-Runtime-Function-Error-Type';
const ERROR_BODY_TRAILER = 'Lambda-Runtime-Function-Error-Body';
const HTTP_PRELUDE_CONTENT_TYPE = 'application/vnd.awslambda.http-integration-response';
const PRELUDE_DELIMITER_BYTES = 8;

const isBytes = (chunk) => typeof chunk === 'string' || chunk instanceof Uint8Array;

export class ResponseStream extends Writable {
  #req;
  #started = false;
  #failed = false;

  /** `req` is an unsent http.ClientRequest for the invocation's `/response` path. */
  constructor(req, { highWaterMark } = {}) {
    super(highWaterMark ? { highWaterMark } : {});
    this.#req = req;
    req.setHeader('Lambda-Runtime-Function-Response-Mode', 'streaming');
    req.setHeader('Transfer-Encoding', 'chunked');
    req.setHeader('Trailer', [ERROR_TYPE_TRAILER, ERROR_BODY_TRAILER]);
    req.setHeader('Content-Type', 'application/octet-stream');
    /** Resolves with the Runtime API's status once it has answered the whole request. */
    this.responseDone = new Promise((resolve, reject) => {
      req.on('response', (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
        res.on('error', reject);
      });
      req.on('error', (error) => {
        reject(error);
        this.destroy();
      });
    });
    // Rejections surface through the awaited handler path; never as an unhandled rejection.
    this.responseDone.catch(() => {});
    /** Set by HttpResponseStream.from: writes the metadata prelude before the first chunk. */
    this._onBeforeFirstWrite = undefined;
  }

  setContentType(contentType) {
    if (this.#started) throw new InvalidStreamingOperation('Cannot set content-type, too late.');
    this.#req.setHeader('Content-Type', contentType);
  }

  write(chunk, encoding, callback) {
    // AWS's stream accepts objects and sends their JSON.
    return super.write(isBytes(chunk) ? chunk : JSON.stringify(chunk), encoding, callback);
  }

  end(chunk, encoding, callback) {
    if (chunk !== undefined && chunk !== null && typeof chunk !== 'function' && !isBytes(chunk)) {
      chunk = JSON.stringify(chunk);
    }
    return super.end(chunk, encoding, callback);
  }

  #start() {
    if (this.#started) return;
    this.#started = true;
    if (typeof this._onBeforeFirstWrite === 'function') {
      this._onBeforeFirstWrite((bytes) => this.#req.write(bytes));
    }
  }

  // Chunks go straight to the request so that nothing is left buffered here when a handler
  // fails right after writing; only backpressure holds them back.
  _write(chunk, _encoding, callback) {
    this.#start();
    if (this.#req.write(chunk)) callback();
    else this.#req.once('drain', () => callback());
  }

  _final(callback) {
    this.#start();
    this.#req.end(callback);
  }

  /** Ends the request with error trailers. Returns false when the body was already finished. */
  fail(error) {
    if (this.#failed || this.#req.writableEnded) return false;
    this.#failed = true;
    // No prelude when nothing was written: the error alone decides the outcome.
    this.#started = true;
    const body = toErrorBody(error);
    this.#req.addTrailers({
      [ERROR_TYPE_TRAILER]: body.errorType,
      [ERROR_BODY_TRAILER]: Buffer.from(JSON.stringify(body)).toString('base64'),
    });
    this.#req.end();
    this.destroy();
    return true;
  }
}

/** `awslambda.HttpResponseStream`: status, headers and cookies for function URLs. */
export class HttpResponseStream {
  static from(underlyingStream, prelude) {
    underlyingStream.setContentType(HTTP_PRELUDE_CONTENT_TYPE);
    // Stringified here so a later change to `prelude` cannot alter what is sent.
    const json = JSON.stringify(prelude);
    underlyingStream._onBeforeFirstWrite = (write) => {
      write(json);
      write(new Uint8Array(PRELUDE_DELIMITER_BYTES));
    };
    return underlyingStream;
  }
}
