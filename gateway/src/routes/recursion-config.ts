/**
 * @module
 * Recursive loop settings: PutFunctionRecursionConfig and GetFunctionRecursionConfig
 * (`/2024-08-31/functions/{name}/recursion-config`), `Terminate` (AWS's default) or `Allow`.
 * lambdock keeps the setting so tools that manage it work; it does not itself detect loops
 * between functions and queues or buckets.
 */
import { Router } from 'express';
import { CONSTRAINTS, constraintMessage, validationError } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { isObject } from '../functions/field-readers.js';
import {
  loadUnqualified,
  parseNameParam,
  requireUnqualified,
  withArnNotFound,
} from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';

const PATH = '/2024-08-31/functions/:name/recursion-config';
const VALUES = ['Terminate', 'Allow'] as const;
type RecursiveLoop = (typeof VALUES)[number];

function readRecursiveLoop(body: unknown): RecursiveLoop {
  const value = isObject(body) ? body.RecursiveLoop : undefined;
  if (value === undefined || value === null) {
    throw validationError([constraintMessage('recursiveLoop', null, CONSTRAINTS.notNull)]);
  }
  if (typeof value !== 'string' || !(VALUES as readonly string[]).includes(value)) {
    const shown = typeof value === 'string' ? value : JSON.stringify(value);
    throw validationError([
      constraintMessage('recursiveLoop', shown, CONSTRAINTS.enumValue(VALUES)),
    ]);
  }
  return value as RecursiveLoop;
}

export function createRecursionConfigRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;

  router.put(
    PATH,
    operation('PutFunctionRecursionConfig'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const name = requireUnqualified(parseNameParam(req, 'manage', ctx));
      const value = readRecursiveLoop(req.body);
      await deps.registry
        .update(name, (current) => ({ ...current, recursiveLoop: value }))
        .catch(withArnNotFound(ctx, name));
      res.json({ RecursiveLoop: value });
    },
  );

  router.get(PATH, operation('GetFunctionRecursionConfig'), async (req, res) => {
    const record = await loadUnqualified(deps.registry, ctx, req);
    res.json({ RecursiveLoop: record.recursiveLoop ?? 'Terminate' });
  });

  return router;
}
