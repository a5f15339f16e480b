/**
 * @module
 * InvokeWithResponseStream, `POST /2021-11-15/functions/{name}/response-streaming-invocations`:
 * Invoke's admission, then a sync invocation whose response comes back as AWS's event stream
 * (invoke/stream-reply.ts): relayed as the runtime writes it when the handler streams
 * (`streamifyResponse`), in one piece when it answers buffered. `RequestResponse` or `DryRun`
 * (204); no `Event`. A failure after the stream began (no reply in time, Redis gone) ends it
 * with an InvokeComplete carrying the error as Invoke would have rendered it.
 */
import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import type { InvocationType } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { whenCallerGone } from '../invoke/caller-gone.js';
import { invokeHeld, type HeldTarget } from '../invoke/held-invoke.js';
import { readInvokeHeaders } from '../invoke/invoke-headers.js';
import { createStreamReplyWriter } from '../invoke/stream-reply.js';
import { renderLogged } from '../middleware/error-handler.js';
import { contextOf, type ContextResponse } from '../middleware/request-context.js';
import { operation } from '../middleware/operation.js';
import { admit, invokeAddressOf, outcomeOfError, timed, type InvokeAddress } from './invoke.js';

const STREAM_INVOCATION_TYPES: readonly InvocationType[] = ['RequestResponse', 'DryRun'];

async function stream(
  deps: ResolvedGatewayDeps,
  req: IncomingMessage,
  res: ContextResponse,
  address: InvokeAddress,
  track: { sync: boolean },
): Promise<void> {
  const readHeaders = () => readInvokeHeaders(req, STREAM_INVOCATION_TYPES);
  const admitted = await admit(deps, req, res, { address, readHeaders, track });
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
    if (!writer.started()) throw err;
    const rendered = renderLogged(res, err, deps.logger);
    // AWS's error bodies carry their text as `message` or `Message`, by exception.
    const { message, Message } = rendered.body as { message?: string; Message?: string };
    writer.fail(rendered.headers['x-amzn-ErrorType'] ?? '', message ?? Message ?? '');
  }
}

export function createInvokeStreamRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  router.post(
    '/2021-11-15/functions/:name/response-streaming-invocations',
    operation('InvokeWithResponseStream'),
    (req, res) => timed(deps, (track) => stream(deps, req, res, invokeAddressOf(req, true), track)),
  );
  return router;
}
