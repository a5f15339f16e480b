/**
 * @module runtime-client
 * HTTP client for the Lambda Runtime API (`/2018-06-01/runtime/...`) at AWS_LAMBDA_RUNTIME_API.
 * One keep-alive agent: idle keep-alive sockets are unref'd by Node, so they never keep the
 * event loop alive and 'beforeExit' still fires when user code goes quiet. No socket limit:
 * an error report must not queue behind a streaming response that holds a connection.
 */
import http from 'node:http';
import { toErrorBody } from './errors.mjs';

const API_PREFIX = '/2018-06-01/runtime';
const ERROR_TYPE_HEADER = 'Lambda-Runtime-Function-Error-Type';

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
  constructor(address) {
    const { hostname, port } = parseAddress(address);
    this.hostname = hostname;
    this.port = port;
    this.agent = new http.Agent({ keepAlive: true });
  }

  #options(method, path, headers = {}) {
    return { hostname: this.hostname, port: this.port, method, path, headers, agent: this.agent };
  }

  #send(method, path, headers, body) {
    return new Promise((resolve, reject) => {
      const req = http.request(this.#options(method, path, headers), (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('error', reject);
        res.on('end', () => resolve({ res, body: Buffer.concat(chunks) }));
      });
      req.on('error', reject);
      req.end(body);
    });
  }

  async #post(path, bodyString, headers = {}) {
    const payload = Buffer.from(bodyString, 'utf8');
    const { res, body } = await this.#send(
      'POST',
      API_PREFIX + path,
      {
        'Content-Type': 'application/json',
        'Content-Length': payload.length,
        ...headers,
      },
      payload,
    );
    if (res.statusCode < 200 || res.statusCode > 299) {
      throw new RuntimeApiError(path, res.statusCode, body.toString('utf8'));
    }
  }

  /** Long-polls for the next event; resolves `{body, headers}` with lower-case header names. */
  async nextInvocation() {
    const path = `${API_PREFIX}/invocation/next`;
    const { res, body } = await this.#send('GET', path, {}, undefined);
    if (res.statusCode !== 200) throw new RuntimeApiError(path, res.statusCode, body.toString());
    return { body: body.toString('utf8'), headers: res.headers };
  }

  postInvocationResponse(id, result) {
    return this.#post(`/invocation/${encodeURIComponent(id)}/response`, serialize(result));
  }

  postInvocationError(id, error) {
    return this.#post(`/invocation/${encodeURIComponent(id)}/error`, serialize(toErrorBody(error)));
  }

  postInitError(error) {
    const body = toErrorBody(error);
    return this.#post('/init/error', serialize(body), { [ERROR_TYPE_HEADER]: body.errorType });
  }

  /** Starts a streaming `/response` request; the caller writes the body (see response-stream). */
  openResponseStream(id) {
    const path = `${API_PREFIX}/invocation/${encodeURIComponent(id)}/response`;
    return http.request(this.#options('POST', path));
  }
}
