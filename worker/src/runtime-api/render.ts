/**
 * @module
 * The only place Runtime API answers are rendered. Bodies follow the RIE: JSON with
 * `errorMessage` and `errorType` for refusals, `{"status":"OK"}` for accepted posts.
 */
import type { WireProblem } from './wire/connection.js';
import type { Delivery, RuntimeReply } from './wire/exchange.js';

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
  malformed: (reason: string): Refusal => ({
    status: 400,
    errorType: 'MalformedRequest',
    message: `Malformed request: ${reason}`,
  }),
  headTooLarge: (): Refusal => ({
    status: 431,
    errorType: 'RequestHeaderFieldsTooLarge',
    message: 'The request head is too large',
  }),
  expectationFailed: (expect: string): Refusal => ({
    status: 417,
    errorType: 'ExpectationFailed',
    message: `Unsupported expectation: ${JSON.stringify(expect)}`,
  }),
  internal: (): Refusal => ({
    status: 500,
    errorType: 'InternalServerError',
    message: 'Internal server error',
  }),
});

export function sendJson(
  reply: RuntimeReply,
  status: number,
  body: unknown,
  delivery: Delivery = 'now',
): void {
  if (reply.settled) return;
  const bytes = Buffer.from(JSON.stringify(body), 'utf8');
  reply.send(status, { 'Content-Type': 'application/json' }, bytes, delivery);
}

export function sendAccepted(reply: RuntimeReply, delivery: Delivery = 'now'): void {
  sendJson(reply, 202, { status: 'OK' }, delivery);
}

/**
 * The 202 for an invocation's answer, written after this turn's promise callbacks have run:
 * by then the answer's reply is on its way to Redis, so the caller no longer waits behind a
 * write into the container. A runtime that has already asked for its next event gets the 202
 * with that event, in one write: it does not wait for the 202, and is woken once for both.
 */
export function sendAcceptedAfterTurn(reply: RuntimeReply): void {
  setImmediate(sendAccepted, reply, 'with-next');
}

export function sendRefusal(reply: RuntimeReply, refusal: Refusal, close = false): void {
  sendJson(
    reply,
    refusal.status,
    { errorMessage: refusal.message, errorType: refusal.errorType },
    close ? 'close' : 'now',
  );
}

/** The answer to a request the connection cannot read; the connection closes after it. */
export function refuseWire(reply: RuntimeReply, problem: WireProblem): void {
  const refusal =
    problem.kind === 'malformed'
      ? REFUSALS.malformed(problem.reason)
      : problem.kind === 'head-too-large'
        ? REFUSALS.headTooLarge()
        : REFUSALS.expectationFailed(problem.expect);
  sendRefusal(reply, refusal, true);
}
