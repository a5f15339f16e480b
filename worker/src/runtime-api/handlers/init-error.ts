/**
 * @module
 * `POST /runtime/init/error`: the runtime could not load the handler. The waiting invocation
 * fails with this body and the environment is discarded (the runtime exits on its own).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RUNTIME_HEADERS } from '@lambdock/core';
import { parseErrorReport } from '../error-body.js';
import { readBody } from '../read-body.js';
import { REFUSALS, sendAccepted, sendRefusal } from '../render.js';
import type { HandlerContext } from '../router.js';

export async function handleInitError(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const result = await readBody(req, ctx.responseLimitBytes);
  if (result.kind === 'aborted') return sendRefusal(res, REFUSALS.truncated(), true);
  if (result.kind === 'too-large') {
    return sendRefusal(res, REFUSALS.tooLarge(ctx.responseLimitBytes), true);
  }
  const header = req.headers[RUNTIME_HEADERS.ERROR_TYPE];
  const report = parseErrorReport(typeof header === 'string' ? header : undefined, result.body);
  const refusal = ctx.slot.initError(report);
  if (refusal) return sendRefusal(res, refusal);
  sendAccepted(res);
}
