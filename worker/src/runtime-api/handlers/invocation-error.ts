/**
 * @module
 * `POST /runtime/invocation/{id}/error`: the handler failed. The error type comes from the
 * body or the `Lambda-Runtime-Function-Error-Type` header; the body is the caller's payload.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RUNTIME_HEADERS } from '@lambdock/core';
import { parseErrorReport } from '../error-body.js';
import { readBody } from '../read-body.js';
import { REFUSALS, sendAcceptedAfterTurn, sendRefusal } from '../render.js';
import type { HandlerContext } from '../router.js';

export async function handleInvocationError(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const refusal = ctx.slot.check(requestId);
  if (refusal) return sendRefusal(res, refusal);
  const result = await readBody(req, ctx.responseLimitBytes);
  if (result.kind === 'aborted') return sendRefusal(res, REFUSALS.truncated(), true);
  if (result.kind === 'too-large') {
    ctx.slot.complete(requestId, { kind: 'too-large' });
    return sendRefusal(res, REFUSALS.tooLarge(ctx.responseLimitBytes), true);
  }
  const header = req.headers[RUNTIME_HEADERS.ERROR_TYPE];
  const report = parseErrorReport(typeof header === 'string' ? header : undefined, result.body);
  if (!ctx.slot.complete(requestId, { kind: 'function-error', ...report })) {
    return sendRefusal(res, REFUSALS.invalidRequestId(requestId));
  }
  sendAcceptedAfterTurn(res);
}
