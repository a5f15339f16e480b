/**
 * @module
 * InvokeAsync, `POST /2014-11-13/functions/{name}/invoke-async`: the legacy form of an `Event`
 * invocation. The same checks and queue as Invoke's `Event`, with the legacy operation's own
 * payload limit (the smaller of 256 KB and ASYNC_PAYLOAD_LIMIT_BYTES), answered 202 with
 * `{"Status":202}` once Redis stored the job.
 */
import type { IncomingMessage } from 'node:http';
import { Router } from 'express';
import type { ResolvedGatewayDeps } from '../deps.js';
import { invokeAsyncLimit } from '../invoke/read-payload.js';
import type { ContextResponse } from '../middleware/request-context.js';
import { operation } from '../middleware/operation.js';
import { admit, enqueueEvent, invokeAddressOf, type InvokeAddress } from './invoke.js';

async function handleInvokeAsync(
  deps: ResolvedGatewayDeps,
  req: IncomingMessage,
  res: ContextResponse,
  address: InvokeAddress,
): Promise<void> {
  const admitted = await admit(deps, req, res, {
    address,
    readHeaders: () => ({ invocationType: 'Event', logTail: false }),
    eventLimitBytes: invokeAsyncLimit(deps.settings),
    track: { sync: false },
  });
  await enqueueEvent(deps, admitted);
  res.statusCode = 202;
  res.setHeader('Content-Type', 'application/json');
  res.end('{"Status":202}');
}

export function createInvokeAsyncRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  router.post('/2014-11-13/functions/:name/invoke-async', operation('InvokeAsync'), (req, res) =>
    handleInvokeAsync(deps, req, res, invokeAddressOf(req, false)),
  );
  return router;
}
