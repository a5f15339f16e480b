/**
 * @module
 * `GET /runtime/invocation/next`: park the long-poll until an event is ready, then answer with
 * the event bytes and the invocation headers of the Runtime API.
 */
import type { Deliver, Invocation } from '../invocation-slot.js';
import { sendRefusal } from '../render.js';
import type { HandlerContext } from '../router.js';
import type { RuntimeReply, RuntimeRequest } from '../wire/exchange.js';

/** Header values must be one line of Latin-1; JSON survives escaping non-ASCII as \uXXXX. */
function headerJson(text: string): string {
  let compact: string;
  try {
    compact = JSON.stringify(JSON.parse(text));
  } catch {
    compact = JSON.stringify(text);
  }
  return compact.replace(
    /[\u007f-\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

export function invocationHeaders(inv: Invocation, deadlineMs: number): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'Content-Length': String(inv.payload.length),
    'Lambda-Runtime-Aws-Request-Id': inv.requestId,
    // Whole epoch milliseconds, as Lambda sends it (runtimes parse it as an integer).
    'Lambda-Runtime-Deadline-Ms': String(Math.floor(deadlineMs)),
    'Lambda-Runtime-Invoked-Function-Arn': inv.invokedFunctionArn,
  };
  if (inv.traceId) headers['Lambda-Runtime-Trace-Id'] = inv.traceId.replace(/[^\x20-\x7e]/g, '');
  if (inv.clientContext) headers['Lambda-Runtime-Client-Context'] = headerJson(inv.clientContext);
  if (inv.cognitoIdentity) {
    headers['Lambda-Runtime-Cognito-Identity'] = headerJson(inv.cognitoIdentity);
  }
  return headers;
}

export function handleNext(
  ctx: HandlerContext,
  _request: RuntimeRequest,
  reply: RuntimeReply,
): void {
  const deliver: Deliver = (inv, deadlineMs) => {
    if (reply.settled) return false;
    reply.send(200, invocationHeaders(inv, deadlineMs), inv.payload);
    return true;
  };
  reply.onGone(() => ctx.slot.cancelNext(deliver));
  const refusal = ctx.slot.next(deliver);
  if (refusal) sendRefusal(reply, refusal);
}
