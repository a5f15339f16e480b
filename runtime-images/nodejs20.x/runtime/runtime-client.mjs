/**
 * @module runtime-client
 * HTTP client for the Lambda Runtime API (`/2018-06-01/runtime/...`) at AWS_LAMBDA_RUNTIME_API.
 * Buffered calls go over lean keep-alive connections (http-connection.mjs), a new one whenever
 * all are busy: an error report must never queue behind a parked `/next`. Streaming responses
 * use Node's `http` client. Idle connections never keep the event loop alive, so 'beforeExit'
 * still fires when user code goes quiet.
 */
import { createRequire } from 'node:module';
import { toErrorBody } from './errors.mjs';
import { HttpConnection } from './http-connection.mjs';

const API_PREFIX = '/2018-06-01/runtime';
const NEXT_PATH = `${API_PREFIX}/invocation/next`;
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';
/** lambdock's own: stdout and stderr bytes written during the invocation (output-bytes.mjs). */
const OUTPUT_BYTES_HEADER = 'Lambdock-Runtime-Output-Bytes';
/** Node's limit as raised by the bootstrap (--max-http-header-size): client context is large. */
const MAX_HEADER_BYTES = 81920;
/** Connections kept for reuse; more are only ever open while an error report overlaps `/next`. */
const MAX_IDLE_CONNECTIONS = 2;
// Node's http client only serves streaming responses: loaded on first use, not at start.
const require = createRequire(import.meta.url);

export class RuntimeApiError extends Error {
  constructor(path, statusCode, body) {
    super(`Runtime API ${path} answered ${statusCode}: ${body}`);
    this.name = 'RuntimeApiError';
    this.statusCode = statusCode;
  }
}

/** Splits `host:port` (IPv6 in brackets allowed); the value has no scheme and no path. */
export function parseAddress(value) {
  if (!value) throw new Error('AWS_LAMBDA_RUNTIME_API is not set');
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(value);
  if (!match) throw new Error(`AWS_LAMBDA_RUNTIME_API must be host:port, got '${value}'`);
  return { hostname: match[1], port: Number(match[2]) };
}

function serialize(value) {
  try {
    return JSON.stringify(value === undefined ? null : value);
  } catch {
    throw new Error('Unable to stringify response body');
  }
}

export class RuntimeClient {
  #idle = [];
  #agent;

  constructor(address) {
    const { hostname, port } = parseAddress(address);
    this.hostname = hostname;
    this.port = port;
    this.address = address;
  }

  /** Node's agent, for streaming responses only; made on first use. */
  get agent() {
    this.#agent ??= new (require('node:http').Agent)({ keepAlive: true });
    return this.#agent;
  }

  #connection() {
    for (let c = this.#idle.pop(); c !== undefined; c = this.#idle.pop()) {
      if (c.reusable) return c;
    }
    const { hostname, port, address } = this;
    return new HttpConnection({ hostname, port, host: address, maxHeaderBytes: MAX_HEADER_BYTES });
  }

  /** Sends requests pipelined on one connection; the connection is reused once all answered. */
  #exchange(requests) {
    const connection = this.#connection();
    const last = requests.length - 1;
    return connection.pipeline(requests).map((answer, i) =>
      answer.then(
        (response) => {
          if (i === last) this.#release(connection);
          return response;
        },
        (error) => {
          connection.destroy();
          throw error;
        },
      ),
    );
  }

  #release(connection) {
    if (!connection.reusable) return;
    if (this.#idle.length < MAX_IDLE_CONNECTIONS) this.#idle.push(connection);
    else connection.destroy();
  }

  #postRequest(path, bodyString, headers = {}) {
    const payload = Buffer.from(bodyString, 'utf8');
    const all = {
      'Content-Type': 'application/json',
      'Content-Length': payload.length,
      ...headers,
    };
    return { method: 'POST', path: API_PREFIX + path, headers: all, body: payload };
  }

  async #posted(path, answer) {
    const { statusCode, body } = await answer;
    if (statusCode < 200 || statusCode > 299) {
      throw new RuntimeApiError(path, statusCode, body.toString('utf8'));
    }
  }

  async #event(answer) {
    const { statusCode, headers, body } = await answer;
    if (statusCode !== 200) throw new RuntimeApiError(NEXT_PATH, statusCode, body.toString());
    return { body: body.toString('utf8'), headers };
  }

  #post(path, bodyString, headers = {}) {
    const [answer] = this.#exchange([this.#postRequest(path, bodyString, headers)]);
    return this.#posted(path, answer);
  }

  /**
   * Posts an invocation's answer with the request for the next event right behind it, in one
   * write (HTTP/1.1 pipelining): one write and one wake-up of the Runtime API fewer per
   * invocation than waiting for the 202 before asking again.
   */
  #postThenNext(path, bodyString, outputBytes) {
    const headers = outputBytes === undefined ? {} : { [OUTPUT_BYTES_HEADER]: outputBytes };
    const [answer, event] = this.#exchange([
      this.#postRequest(path, bodyString, headers),
      { method: 'GET', path: NEXT_PATH, headers: {} },
    ]);
    return { posted: this.#posted(path, answer), next: this.#event(event) };
  }

  /** Long-polls for the next event; resolves `{body, headers}` with lower-case header names. */
  nextInvocation() {
    const [event] = this.#exchange([{ method: 'GET', path: NEXT_PATH, headers: {} }]);
    return this.#event(event);
  }

  /**
   * Posts the invocation's result with `nextInvocation` in the same write: `{posted, next}`.
   * `outputBytes`, when given, tells the worker how much output this invocation wrote.
   */
  postInvocationResponseThenNext(id, result, outputBytes) {
    const path = `/invocation/${encodeURIComponent(id)}/response`;
    return this.#postThenNext(path, serialize(result), outputBytes);
  }

  postInvocationError(id, error) {
    return this.#post(`/invocation/${encodeURIComponent(id)}/error`, serialize(toErrorBody(error)));
  }

  /** `postInvocationError` with `nextInvocation` in the same write: `{posted, next}`. */
  postInvocationErrorThenNext(id, error, outputBytes) {
    const body = serialize(toErrorBody(error));
    return this.#postThenNext(`/invocation/${encodeURIComponent(id)}/error`, body, outputBytes);
  }

  postInitError(error) {
    const body = toErrorBody(error);
    return this.#post('/init/error', serialize(body), { [ERROR_TYPE_HEADER]: body.errorType });
  }

  /** Starts a streaming `/response` request; the caller writes the body (see response-stream). */
  openResponseStream(id) {
    const path = `${API_PREFIX}/invocation/${encodeURIComponent(id)}/response`;
    return require('node:http').request({
      hostname: this.hostname,
      port: this.port,
      method: 'POST',
      path,
      agent: this.agent,
    });
  }
}
