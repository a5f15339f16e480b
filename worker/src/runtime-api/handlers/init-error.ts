/**
 * @module
 * `POST /runtime/init/error`: the runtime could not load the handler. The waiting invocation
 * fails with this body and the environment is discarded (the runtime exits on its own).
 */
import { RUNTIME_HEADERS } from '@lambdock/core';
import { parseErrorReport } from '../error-body.js';
import { REFUSALS, sendAccepted, sendRefusal } from '../render.js';
import type { HandlerContext } from '../router.js';
import type { RuntimeReply, RuntimeRequest } from '../wire/exchange.js';

export async function handleInitError(
  ctx: HandlerContext,
  request: RuntimeRequest,
  reply: RuntimeReply,
): Promise<void> {
  const result = await request.readBody(ctx.responseLimitBytes);
  if (result.kind === 'aborted') return sendRefusal(reply, REFUSALS.truncated(), true);
  if (result.kind === 'too-large') {
    return sendRefusal(reply, REFUSALS.tooLarge(ctx.responseLimitBytes), true);
  }
  const report = parseErrorReport(request.headers[RUNTIME_HEADERS.ERROR_TYPE], result.body);
  const refusal = ctx.slot.initError(report);
  if (refusal) return sendRefusal(reply, refusal);
  sendAccepted(reply);
}
