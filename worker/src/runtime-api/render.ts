/**
 * @module
 * The only place Runtime API answers are rendered. Bodies follow the RIE: JSON with
 * `errorMessage` and `errorType` for refusals, `{"status":"OK"}` for accepted posts.
 */
import type { ServerResponse } from 'node:http';

export interface Refusal {
  readonly status: number;
  readonly errorType: string;
  readonly message: string;
}

export const REFUSALS = Object.freeze({
  invalidRequestId: (id: string): Refusal => ({
    status: 400,
    errorType: 'InvalidRequestID',
    message: `Invalid request ID: ${JSON.stringify(id)}`,
  }),
  invalidStateTransition: (what: string): Refusal => ({
    status: 403,
    errorType: 'InvalidStateTransition',
    message: `State transition is not allowed: ${what}`,
  }),
  invalidResponseMode: (mode: string): Refusal => ({
    status: 400,
    errorType: 'InvalidFunctionResponseMode',
    message: `Invalid function response mode: ${mode}`,
  }),
  tooLarge: (limitBytes: number): Refusal => ({
    status: 413,
    errorType: 'RequestEntityTooLarge',
    message: `Exceeded maximum allowed payload size (${limitBytes} bytes).`,
  }),
  truncated: (): Refusal => ({
    status: 400,
    errorType: 'TruncatedHTTPRequest',
    message: 'The request body ended before its declared length',
  }),
  notFound: (): Refusal => ({ status: 404, errorType: 'NotFound', message: 'Not found' }),
  methodNotAllowed: (): Refusal => ({
    status: 405,
    errorType: 'MethodNotAllowed',
    message: 'Method not allowed',
  }),
  internal: (): Refusal => ({
    status: 500,
    errorType: 'InternalServerError',
    message: 'Internal server error',
  }),
});

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent || res.destroyed) return;
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}

export function sendAccepted(res: ServerResponse): void {
  sendJson(res, 202, { status: 'OK' });
}

/**
 * The 202 for an invocation's answer, written after this turn's promise callbacks have run:
 * by then the answer's reply is on its way to Redis, so the caller no longer waits behind a
 * write into the container. The runtime asks for its next event only once it has the 202.
 */
export function sendAcceptedAfterTurn(res: ServerResponse): void {
  setImmediate(sendAccepted, res);
}

export function sendRefusal(res: ServerResponse, refusal: Refusal, close = false): void {
  sendJson(
    res,
    refusal.status,
    { errorMessage: refusal.message, errorType: refusal.errorType },
    close ? { Connection: 'close' } : {},
  );
}
