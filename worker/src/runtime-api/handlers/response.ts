/**
 * @module
 * `POST /runtime/invocation/{id}/response`, buffered or streamed (chunked, with error
 * trailers; chunks are relayed as they arrive when the caller takes a stream). Over the cap the runtime gets 413 and the invocation fails with
 * Function.ResponseSizeTooLarge; the rest of the body is never read.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RUNTIME_HEADERS } from '@lambdock/core';
import { parseTrailerError } from '../error-body.js';
import type { RuntimeOutcome } from '../invocation-slot.js';
import { readBody } from '../read-body.js';
import { REFUSALS, sendAcceptedAfterTurn, sendRefusal } from '../render.js';
import type { HandlerContext } from '../router.js';

export async function handleResponse(
  ctx: HandlerContext,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
): Promise<void> {
  const refusal = ctx.slot.check(requestId);
  if (refusal) return sendRefusal(res, refusal);
  const mode = req.headers[RUNTIME_HEADERS.RESPONSE_MODE];
  if (typeof mode === 'string' && mode !== 'streaming') {
    return sendRefusal(res, REFUSALS.invalidResponseMode(mode));
  }
  const sink = mode === 'streaming' ? ctx.slot.chunkSink(requestId) : undefined;
  if (sink !== undefined) {
    // Relay each chunk as it arrives; the whole body is still read (and capped) below.
    const contentType = req.headers['content-type'];
    req.on('data', (chunk: Buffer) => sink(chunk, contentType));
  }
  const result = await readBody(req, ctx.responseLimitBytes);
  if (result.kind === 'aborted') return sendRefusal(res, REFUSALS.truncated(), true);
  if (result.kind === 'too-large') {
    ctx.slot.complete(requestId, { kind: 'too-large' });
    return sendRefusal(res, REFUSALS.tooLarge(ctx.responseLimitBytes), true);
  }
  const failure = mode === 'streaming' ? parseTrailerError(result.trailers) : undefined;
  const outcome: RuntimeOutcome = failure
    ? { kind: 'function-error', ...failure }
    : { kind: 'response', body: result.body, contentType: req.headers['content-type'] };
  if (!ctx.slot.complete(requestId, outcome)) {
    return sendRefusal(res, REFUSALS.invalidRequestId(requestId));
  }
  sendAcceptedAfterTurn(res);
}
