/**
 * @module
 * Reserved concurrency: Put (`/2017-10-31`), Get (`/2019-09-30`, AWS's own later date) and
 * Delete. A reservation may take the whole account limit (our unreserved minimum is 0), never
 * more, and never less than the function's provisioned concurrency. The worker and the gateway's
 * sync admission read the same Redis hash.
 */
import { Router } from 'express';
import { AppError, CONSTRAINTS, ERRORS, constraintMessage, validationError } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { isObject } from '../functions/field-readers.js';
import {
  loadFunction,
  loadUnqualified,
  parseNameParam,
  requireUnqualified,
} from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';

/** Lambda keeps at least this much account concurrency unreserved; we keep none back. */
const MIN_UNRESERVED = 0;
const FIELD = 'reservedConcurrentExecutions';

function readReserved(body: unknown): number {
  const value = isObject(body) ? body.ReservedConcurrentExecutions : undefined;
  if (value === undefined || value === null) {
    throw validationError([constraintMessage(FIELD, null, CONSTRAINTS.notNull)]);
  }
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw validationError([
      constraintMessage(FIELD, JSON.stringify(value), 'Member must be an integer'),
    ]);
  }
  if (value < 0) throw validationError([constraintMessage(FIELD, value, CONSTRAINTS.minValue(0))]);
  return value;
}

export function createConcurrencyRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;

  router.put(
    '/2017-10-31/functions/:name/concurrency',
    operation('PutFunctionConcurrency'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const name = requireUnqualified(parseNameParam(req, 'manage', ctx));
      const wanted = readReserved(req.body);
      await loadFunction(deps.registry, ctx, name, '$LATEST');
      const [total, own, provisioned] = await Promise.all([
        deps.registry.totalReserved(),
        deps.registry.getReservedConcurrency(name),
        deps.provisioned.list(name),
      ]);
      if (total - (own ?? 0) + wanted > ctx.accountConcurrency - MIN_UNRESERVED) {
        throw new AppError(
          ERRORS.CONCURRENCY_LIMIT,
          `Specified ReservedConcurrentExecutions for function decreases account's UnreservedConcurrentExecution below its minimum value of [${MIN_UNRESERVED}].`,
        );
      }
      const totalProvisioned = provisioned.reduce((sum, c) => sum + c.requested, 0);
      if (wanted < totalProvisioned) {
        // AWS's text, its leading and doubled spaces included.
        throw new AppError(
          ERRORS.RESERVED_BELOW_PROVISIONED,
          ` ReservedConcurrentExecutions  ${wanted} should not be lower than function's total provisioned concurrency [${totalProvisioned}].`,
        );
      }
      await deps.registry.putReservedConcurrency(name, wanted);
      res.json({ ReservedConcurrentExecutions: wanted });
    },
  );

  router.get(
    '/2019-09-30/functions/:name/concurrency',
    operation('GetFunctionConcurrency'),
    async (req, res) => {
      const { name } = await loadUnqualified(deps.registry, ctx, req);
      const reserved = await deps.registry.getReservedConcurrency(name);
      res.json(reserved === undefined ? {} : { ReservedConcurrentExecutions: reserved });
    },
  );

  router.delete(
    '/2017-10-31/functions/:name/concurrency',
    operation('DeleteFunctionConcurrency'),
    async (req, res) => {
      const { name } = await loadUnqualified(deps.registry, ctx, req);
      await deps.registry.deleteReservedConcurrency(name);
      res.status(204).end();
    },
  );

  return router;
}
