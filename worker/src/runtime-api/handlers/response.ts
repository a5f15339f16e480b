/**
 * @module
 * `POST /runtime/invocation/{id}/response`, buffered or streamed (chunked, with error
 * trailers; chunks are relayed as they arrive when the caller takes a stream). Over the cap the runtime gets 413 and the invocation fails with
 * Function.ResponseSizeTooLarge; the rest of the body is never read.
 */
import { RUNTIME_HEADERS } from '@lambdock/core';
import { parseTrailerError } from '../error-body.js';
import type { RuntimeOutcome } from '../invocation-slot.js';
import { REFUSALS, sendAcceptedAfterTurn, sendRefusal } from '../render.js';
import type { HandlerContext } from '../router.js';
import type { RuntimeReply, RuntimeRequest } from '../wire/exchange.js';
import { outputBytesOf } from './output-bytes.js';

export async function handleResponse(
  ctx: HandlerContext,
  request: RuntimeRequest,
  reply: RuntimeReply,
  requestId: string,
): Promise<void> {
  const refusal = ctx.slot.check(requestId);
  if (refusal) return sendRefusal(reply, refusal);
  const mode = request.headers[RUNTIME_HEADERS.RESPONSE_MODE];
  if (mode !== undefined && mode !== 'streaming') {
    return sendRefusal(reply, REFUSALS.invalidResponseMode(mode));
  }
  const contentType = request.headers['content-type'];
  const sink = mode === 'streaming' ? ctx.slot.chunkSink(requestId) : undefined;
  // A streamed response's chunks are relayed as they arrive, up to the stream limit; the first
  // responseLimitBytes are kept for the final reply.
  const relay = sink && ((chunk: Buffer) => sink(chunk, contentType));
  const limitBytes = relay ? ctx.streamLimitBytes : ctx.responseLimitBytes;
  const result = await request.readBody(limitBytes, relay, ctx.responseLimitBytes);
  if (result.kind === 'aborted') return sendRefusal(reply, REFUSALS.truncated(), true);
  if (result.kind === 'too-large') {
    ctx.slot.complete(requestId, { kind: 'too-large', limitBytes });
    return sendRefusal(reply, REFUSALS.tooLarge(limitBytes), true);
  }
  const failure = mode === 'streaming' ? parseTrailerError(result.trailers) : undefined;
  const outcome: RuntimeOutcome = failure
    ? { kind: 'function-error', ...failure, ...outputBytesOf(request.headers) }
    : { kind: 'response', body: result.body, contentType, ...outputBytesOf(request.headers) };
  if (!ctx.slot.complete(requestId, outcome)) {
    return sendRefusal(reply, REFUSALS.invalidRequestId(requestId));
  }
  sendAcceptedAfterTurn(reply);
}
