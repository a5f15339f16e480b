/**
 * @module
 * Clients that hold a connection without finishing their request (slowloris: headers a byte at
 * a time; a body at one byte a second) are cut: whoever has not sent a request's headers within
 * GATEWAY_HEADERS_TIMEOUT_MS, or its whole body within GATEWAY_REQUEST_TIMEOUT_MS, gets 408 and
 * the connection closes. Node's HTTP server enforces both (checking every quarter of the shorter
 * one); a request received in full is never cut, however long its invocation runs. Every
 * connection closed for a client's fault (a client resetting its connection included, even
 * while its invocation runs) is counted in lambdock_client_errors_total, answered as Node's own
 * handler answers it.
 */
import type { Server, ServerOptions } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Counter } from 'prom-client';

export interface SlowClientLimits {
  headersTimeoutMs: number;
  requestTimeoutMs: number;
}

/** Why the gateway closed a connection for a client's fault. */
export type ClientErrorReason =
  'timeout' | 'headers_too_large' | 'too_large' | 'malformed' | 'reset';

/** Options for `createServer`: the checking interval can only be set there. */
export function slowClientOptions(limits: SlowClientLimits): ServerOptions {
  // Node refuses a headers timeout above the request timeout: the shorter of the two.
  const headersTimeout = Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs);
  return {
    headersTimeout,
    requestTimeout: limits.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(30_000, Math.max(50, Math.floor(headersTimeout / 4))),
  };
}

const ANSWERS: Readonly<Record<Exclude<ClientErrorReason, 'reset'>, string>> = {
  timeout: 'HTTP/1.1 408 Request Timeout\r\nConnection: close\r\n\r\n',
  headers_too_large: 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n',
  too_large: 'HTTP/1.1 413 Payload Too Large\r\nConnection: close\r\n\r\n',
  malformed: 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n',
};

export function clientErrorReason(code: string | undefined): ClientErrorReason {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return 'timeout';
    case 'HPE_HEADER_OVERFLOW':
      return 'headers_too_large';
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return 'too_large';
    case 'ECONNRESET':
      return 'reset';
    default:
      return 'malformed';
  }
}

interface HttpSocket extends Duplex {
  _httpMessage?: { headersSent?: boolean } | null;
}

/** Count and answer client errors as Node does when nobody listens for them. */
export function watchClientErrors(server: Server, counter: Counter<'reason'>): void {
  server.on('clientError', (err: NodeJS.ErrnoException, socket: HttpSocket) => {
    const reason = clientErrorReason(err.code);
    counter.inc({ reason });
    // Never write into a response already under way: the peer would read a corrupt stream.
    const answering = socket._httpMessage?.headersSent === true;
    if (reason !== 'reset' && socket.writable && !answering) socket.write(ANSWERS[reason]);
    socket.destroy(err);
  });
}
