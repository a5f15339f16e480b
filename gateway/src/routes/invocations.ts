/**
 * @module
 * Async invocation records: `GET /lambdock/v1/invocations/{requestId}` answers the record the
 * workers keep (status, attempts, result or error, destinations), or a `queued` record while the
 * event waits for its first attempt. Records are kept for ASYNC_RECORD_TTL_S after their last
 * change; an unknown or expired id is 404.
 */
import { Router } from 'express';
import { AppError, CONSTRAINTS, ERRORS, constraintMessage, validationError } from '@lambdock/core';
import { queuedView } from '../async/invocation-view.js';
import type { ResolvedGatewayDeps } from '../deps.js';
import { operation } from '../middleware/operation.js';
import { LAMBDOCK_API } from './route-config.js';

/** Request ids lambdock hands out, and the ids it accepts from callers. */
const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function createInvocationsRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  router.get(
    `${LAMBDOCK_API}/invocations/:requestId`,
    operation('GetInvocation'),
    async (req, res) => {
      const id = typeof req.params.requestId === 'string' ? req.params.requestId : '';
      if (!REQUEST_ID.test(id)) {
        throw validationError([
          constraintMessage('requestId', id, CONSTRAINTS.pattern(REQUEST_ID.source.slice(1, -1))),
        ]);
      }
      const record = await deps.async.records.get(id);
      if (record !== undefined) {
        res.json(record);
        return;
      }
      const job = await deps.queue.asyncJob(id);
      if (job === undefined) {
        throw new AppError(ERRORS.RESOURCE_NOT_FOUND, `No async invocation ${id} is known.`);
      }
      res.json(queuedView(job));
    },
  );
  return router;
}
