/**
 * @module
 * Invoke a function for an HTTP route or a function URL and say how it went in the terms API
 * Gateway uses: the reply, or which integration error to answer with. Admission is Invoke's own
 * (the target as the gateway holds it, weighted aliases picked here, the lease taken with the
 * add; 429 when over the limit).
 */
import {
  ERRORS,
  functionArn,
  isAppError,
  type FunctionRecord,
  type Logger,
  type Reply,
  type ReplyChunk,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import type { WhenCallerGone } from '../invoke/caller-gone.js';
import { functionNotFound } from '../functions/lookup.js';
import type { IntegrationErrorKind } from '../http-events/integration-error.js';
import { admittedTarget, invokeHeld } from '../invoke/held-invoke.js';
import type { SyncInvokeRequest } from '../invoke/sync-invoke.js';

export interface HttpInvokeRequest {
  functionName: string;
  qualifier?: string;
  /** The event as JSON text. */
  payload: string;
  requestId: string;
  whenGone: WhenCallerGone;
  logger: Logger;
  /** The route's integration timeout; function URLs wait for the function's own. */
  maxWaitMs?: number;
  /** Take a streamed response as it comes (function URLs in RESPONSE_STREAM mode). */
  onChunk?: (chunk: ReplyChunk) => void;
}

export type HttpInvokeResult =
  | { kind: 'reply'; reply: Reply }
  | { kind: 'failed'; error: IntegrationErrorKind }
  /** Redis is away: nothing was queued. */
  | { kind: 'unavailable' };

function classify(err: unknown): HttpInvokeResult {
  if (!isAppError(err)) throw err;
  switch (err.code) {
    case ERRORS.THROTTLED.code:
      return { kind: 'failed', error: 'throttled' };
    case ERRORS.INVOKE_TIMEOUT.code:
      return { kind: 'failed', error: 'timeout' };
    case ERRORS.SERVICE_UNAVAILABLE.code:
      return { kind: 'unavailable' };
    default:
      // Not found, not Active, refused by the worker: API Gateway's "Internal server error".
      return { kind: 'failed', error: 'function-missing' };
  }
}

export async function invokeForHttp(
  deps: ResolvedGatewayDeps,
  request: HttpInvokeRequest,
): Promise<HttpInvokeResult> {
  const { settings } = deps;
  const { functionName, qualifier } = request;
  const ready = (record: FunctionRecord): void => {
    if (record.state !== 'Active') throw functionNotFound(settings, functionName, qualifier);
  };
  const job: SyncInvokeRequest['job'] = {
    requestId: request.requestId,
    functionName,
    // The version that runs: invokeHeld sets it from the target.
    qualifier: '$LATEST',
    invokedArn: functionArn(settings, functionName, qualifier),
    payload: request.payload,
    logTail: false,
    acceptedAt: deps.now(),
  };
  const common = {
    whenGone: request.whenGone,
    logger: request.logger,
    ...(request.maxWaitMs === undefined ? {} : { maxWaitMs: request.maxWaitMs }),
    ...(request.onChunk === undefined ? {} : { onChunk: request.onChunk }),
  };
  try {
    const reload = () => admittedTarget(deps, functionName, qualifier, ready);
    const held = await reload();
    const reply: Reply = await invokeHeld(deps, { ...common, held, reload, job });
    if (reply.header.outcome === 'function-error')
      return { kind: 'failed', error: 'function-error' };
    if (reply.header.outcome === 'rejected') return { kind: 'failed', error: 'function-missing' };
    return { kind: 'reply', reply };
  } catch (err) {
    return classify(err);
  }
}
