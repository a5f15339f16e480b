/**
 * @module
 * Every Runtime API route in one screen (paths after AWS_LAMBDA_RUNTIME_API). The paths carry
 * no environment id: each environment has its own listener, so the slot is implied by the port.
 */
import { RUNTIME_API_VERSION, type Logger } from '@lambdock/core';
import { handleInitError } from './handlers/init-error.js';
import { handleInvocationError } from './handlers/invocation-error.js';
import { handleNext } from './handlers/next.js';
import { handlePing } from './handlers/ping.js';
import { handleResponse } from './handlers/response.js';
import type { InvocationSlot } from './invocation-slot.js';
import { REFUSALS, sendRefusal } from './render.js';
import type { RuntimeReply, RuntimeRequest } from './wire/exchange.js';

export interface HandlerContext {
  readonly slot: InvocationSlot;
  /** Cap on response and error bodies (the RIE's 6 MiB + 100 bytes). */
  readonly responseLimitBytes: number;
  /** Cap on a streamed response whose caller takes it as it comes (relayed, not all held). */
  readonly streamLimitBytes: number;
  readonly logger: Logger;
}

type Handler = (
  ctx: HandlerContext,
  request: RuntimeRequest,
  reply: RuntimeReply,
  requestId: string,
) => void | Promise<void>;

interface Route {
  readonly method: 'GET' | 'POST';
  readonly path: RegExp;
  readonly handler: Handler;
}

const V = RUNTIME_API_VERSION;
const ID = '([^/]+)';

export const ROUTES: readonly Route[] = [
  { method: 'GET', path: new RegExp(`^/${V}/runtime/invocation/next$`), handler: handleNext },
  {
    method: 'POST',
    path: new RegExp(`^/${V}/runtime/invocation/${ID}/response$`),
    handler: handleResponse,
  },
  {
    method: 'POST',
    path: new RegExp(`^/${V}/runtime/invocation/${ID}/error$`),
    handler: handleInvocationError,
  },
  { method: 'POST', path: new RegExp(`^/${V}/runtime/init/error$`), handler: handleInitError },
  { method: 'GET', path: new RegExp(`^/${V}/ping$`), handler: handlePing },
];

function decode(segment: string | undefined): string {
  try {
    return decodeURIComponent(segment ?? '');
  } catch {
    return segment ?? '';
  }
}

/** Dispatch one request to its handler; unknown paths get 404, known paths with another method 405. */
export async function dispatch(
  ctx: HandlerContext,
  request: RuntimeRequest,
  reply: RuntimeReply,
): Promise<void> {
  const { path } = request;
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.path.exec(path);
    if (!match) continue;
    pathMatched = true;
    if (route.method !== request.method) continue;
    try {
      await route.handler(ctx, request, reply, decode(match[1]));
    } catch (err) {
      ctx.logger.error({ err, path }, 'runtime api handler failed');
      sendRefusal(reply, REFUSALS.internal());
    }
    return;
  }
  sendRefusal(reply, pathMatched ? REFUSALS.methodNotAllowed() : REFUSALS.notFound());
}
