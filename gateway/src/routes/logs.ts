/**
 * @module
 * Our own logs API (not an AWS operation): `GET /2015-03-31/functions/{name}/logs?limit=&after=`
 * answers `{events: [{id, requestId, timestamp, message}], nextToken}`, oldest first. Pass
 * `nextToken` back as `after` to follow new lines; it stays put when nothing new arrived.
 */
import { Router } from 'express';
import { CONSTRAINTS, constraintMessage, validationError } from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import {
  loadFunction,
  parseNameParam,
  queryParam,
  requireUnqualified,
} from '../functions/lookup.js';
import { operation } from '../middleware/operation.js';

const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 10_000;
const STREAM_ID = /^\d{1,20}-\d{1,20}$/;

function readQuery(
  limitRaw: string | undefined,
  after: string | undefined,
): { limit: number; after?: string } {
  const problems: string[] = [];
  const limit =
    limitRaw === undefined ? DEFAULT_LIMIT : /^\d+$/.test(limitRaw) ? Number(limitRaw) : Number.NaN;
  if (Number.isNaN(limit))
    problems.push(constraintMessage('limit', limitRaw ?? null, 'Member must be an integer'));
  else if (limit < 1) problems.push(constraintMessage('limit', limit, CONSTRAINTS.minValue(1)));
  else if (limit > MAX_LIMIT)
    problems.push(constraintMessage('limit', limit, CONSTRAINTS.maxValue(MAX_LIMIT)));
  if (after !== undefined && !STREAM_ID.test(after)) {
    problems.push(
      constraintMessage('after', after, CONSTRAINTS.pattern(STREAM_ID.source.slice(1, -1))),
    );
  }
  if (problems.length > 0) throw validationError(problems);
  return after === undefined ? { limit } : { limit, after };
}

export function createLogsRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const ctx = deps.settings;
  router.get('/2015-03-31/functions/:name/logs', operation('GetFunctionLogs'), async (req, res) => {
    const name = requireUnqualified(parseNameParam(req, 'get', ctx));
    const { limit, after } = readQuery(queryParam(req, 'limit'), queryParam(req, 'after'));
    await loadFunction(deps.registry, ctx, name);
    const entries = await deps.logs.read(name, limit, after);
    const last = entries[entries.length - 1];
    const nextToken = last?.id ?? after;
    res.json({
      events: entries.map((e) => ({
        id: e.id,
        requestId: e.requestId,
        timestamp: e.timestamp,
        message: e.text,
      })),
      ...(nextToken === undefined ? {} : { nextToken }),
    });
  });
  return router;
}
