/**
 * @module
 * `POST /runtime/invocation/{id}/error`: the handler failed. The error type comes from the
 * body or the `Lambda-Runtime-Function-Error-Type` header; the body is the caller's payload.
 */
import { RUNTIME_HEADERS } from '@lambdock/core';
import { parseErrorReport } from '../error-body.js';
import { REFUSALS, sendAcceptedAfterTurn, sendRefusal } from '../render.js';
import type { HandlerContext } from '../router.js';
import type { RuntimeReply, RuntimeRequest } from '../wire/exchange.js';
import { outputBytesOf } from './output-bytes.js';

export async function handleInvocationError(
  ctx: HandlerContext,
  request: RuntimeRequest,
  reply: RuntimeReply,
  requestId: string,
): Promise<void> {
  const refusal = ctx.slot.check(requestId);
  if (refusal) return sendRefusal(reply, refusal);
  const result = await request.readBody(ctx.responseLimitBytes);
  if (result.kind === 'aborted') return sendRefusal(reply, REFUSALS.truncated(), true);
  if (result.kind === 'too-large') {
    ctx.slot.complete(requestId, { kind: 'too-large' });
    return sendRefusal(reply, REFUSALS.tooLarge(ctx.responseLimitBytes), true);
  }
  const report = parseErrorReport(request.headers[RUNTIME_HEADERS.ERROR_TYPE], result.body);
  if (
    !ctx.slot.complete(requestId, {
      kind: 'function-error',
      ...report,
      ...outputBytesOf(request.headers),
    })
  ) {
    return sendRefusal(reply, REFUSALS.invalidRequestId(requestId));
  }
  sendAcceptedAfterTurn(reply);
}
