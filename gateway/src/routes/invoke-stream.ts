/**
 * @module
 * The two other ways into Invoke's admission:
 *
 * - InvokeWithResponseStream, `POST /2021-11-15/functions/{name}/response-streaming-invocations`:
 *   a sync invocation whose response comes back as an event stream (invoke/stream-reply.ts),
 *   relayed as the runtime writes it when the handler streams (`streamifyResponse`), and in
 *   one piece when it answers buffered. `RequestResponse` or `DryRun` (204); no `Event`.
 * - InvokeAsync, `POST /2014-11-13/functions/{name}/invoke-async`, the legacy form of an
 *   `Event` invocation: the same checks and queue, answered 202 with `{"Status":202}`.
 */
import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import { isAppError, type InvocationType } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { queryParam } from '../functions/lookup.js';
import { whenCallerGone } from '../invoke/caller-gone.js';
import { invokeHeld, type HeldTarget } from '../invoke/held-invoke.js';
import { readInvokeHeaders } from '../invoke/invoke-headers.js';
import { createStreamReplyWriter } from '../invoke/stream-reply.js';
import { contextOf, type ContextResponse } from '../middleware/request-context.js';
import { operation } from '../middleware/operation.js';
import { admit, enqueueEvent, outcomeOfError, type InvokeAddress } from './invoke.js';

const STREAM_INVOCATION_TYPES: readonly InvocationType[] = ['RequestResponse', 'DryRun'];

export async function handleInvokeStream(
  deps: ResolvedGatewayDeps,
  req: IncomingMessage,
  res: ContextResponse,
  address: InvokeAddress,
): Promise<void> {
  const track = { sync: false };
  const readHeaders = () => readInvokeHeaders(req, STREAM_INVOCATION_TYPES);
  const admitted = await admit(deps, req, res, address, readHeaders, track);
  const { record, job, headers, sync } = admitted;
  if (sync === undefined) {
    res.statusCode = 204;
    res.end();
    return;
  }
  // The version that runs can change when the admission starts over (a re-pointed alias).
  let target: HeldTarget = sync.held;
  const reload = async (): Promise<HeldTarget> => (target = await sync.reload());
  const writer = createStreamReplyWriter(res, () => target.executedVersion);
  const { logger } = contextOf(res);
  try {
    const reply = await invokeHeld(deps, {
      held: target,
      reload,
      job,
      whenGone: whenCallerGone(res),
      logger,
      onChunk: (chunk) => writer.onChunk(chunk),
    });
    writer.finish(reply, headers.logTail);
    const { outcome } = reply.header;
    deps.metrics.invocations.inc({ function: record.name, outcome });
    if (outcome === 'function-error') deps.metrics.invokeErrors.inc({ function: record.name });
  } catch (err) {
    deps.metrics.invocations.inc({ function: record.name, outcome: outcomeOfError(err) });
    const ended = isAppError(err) && writer.fail(err.code, err.message);
    if (!ended) throw err;
  }
}

async function handleInvokeAsync(
  deps: ResolvedGatewayDeps,
  req: IncomingMessage,
  res: ContextResponse,
  address: InvokeAddress,
): Promise<void> {
  const eventHeaders = () => ({ invocationType: 'Event' as const, logTail: false });
  const admitted = await admit(deps, req, res, address, eventHeaders, { sync: false });
  await enqueueEvent(deps, admitted);
  res.statusCode = 202;
  res.setHeader('Content-Type', 'application/json');
  res.end('{"Status":202}');
}

const nameOf = (value: unknown): string | undefined =>
  typeof value === 'string' ? value : undefined;

export function createInvokeStreamRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  router.post(
    '/2021-11-15/functions/:name/response-streaming-invocations',
    operation('InvokeWithResponseStream'),
    (req, res) =>
      handleInvokeStream(deps, req, res, {
        name: nameOf(req.params.name),
        qualifier: queryParam(req, 'Qualifier'),
      }),
  );
  router.post('/2014-11-13/functions/:name/invoke-async', operation('InvokeAsync'), (req, res) =>
    handleInvokeAsync(deps, req, res, { name: nameOf(req.params.name), qualifier: undefined }),
  );
  return router;
}
