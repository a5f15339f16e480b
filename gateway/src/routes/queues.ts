/**
 * @module
 * lambdock queues (where SQS / SNS dead-letter and destination targets deliver) under
 * `/lambdock/v1/queues`: list queues, count, page through messages, inspect or delete one,
 * redrive messages to a function as new async invocations, purge. A queue exists while it
 * holds messages; any valid name can be read (an empty queue has no messages).
 */
import { Router, type Request } from 'express';
import {
  AppError,
  CONSTRAINTS,
  ERRORS,
  QUEUE_NAME_PATTERN,
  constraintMessage,
  validationError,
} from '@lambdock/core';
import { redrive, type RedriveTarget } from '../async/redrive.js';
import type { ResolvedGatewayDeps } from '../deps.js';
import { loadFunction, queryParam } from '../functions/lookup.js';
import { SETTINGS_REQUEST_LIMIT_BYTES, jsonBody } from '../middleware/json-body.js';
import { operation } from '../middleware/operation.js';
import { Problems, bodyObject, optionalInteger, readTarget } from '../sources/target-input.js';
import { LAMBDOCK_API } from './route-config.js';

const QUEUE = `${LAMBDOCK_API}/queues/:queue`;
const PAGE_DEFAULT = 100;
const PAGE_MAX = 1000;

function queueParam(req: Request): string {
  const name = typeof req.params.queue === 'string' ? req.params.queue : '';
  if (!QUEUE_NAME_PATTERN.test(name)) {
    const source = QUEUE_NAME_PATTERN.source.slice(1, -1);
    throw validationError([constraintMessage('queueName', name, CONSTRAINTS.pattern(source))]);
  }
  return name;
}

function readLimit(raw: string | undefined): number {
  if (raw === undefined) return PAGE_DEFAULT;
  const value = /^\d+$/.test(raw) ? Number(raw) : Number.NaN;
  if (Number.isNaN(value) || value < 1 || value > PAGE_MAX) {
    throw validationError([
      constraintMessage('limit', raw, `Member must be an integer from 1 to ${PAGE_MAX}`),
    ]);
  }
  return value;
}

function messageNotFound(queue: string, id: string): AppError {
  return new AppError(ERRORS.RESOURCE_NOT_FOUND, `Message ${id} is not in queue ${queue}.`);
}

async function readRedrive(
  deps: ResolvedGatewayDeps,
  body: Record<string, unknown>,
): Promise<{ max: number; target?: RedriveTarget }> {
  const problems = new Problems();
  const max = optionalInteger(problems, body, 'MaxMessages', 1, PAGE_MAX) ?? PAGE_MAX;
  if (problems.messages.length > 0) throw validationError(problems.messages);
  if (body.FunctionName === undefined || body.FunctionName === null) return { max };
  const target = readTarget(body, deps.settings);
  await loadFunction(deps.registry, deps.settings, target.functionName);
  return { max, target };
}

export function createQueuesRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  const { queues } = deps.async;

  router.get(`${LAMBDOCK_API}/queues`, operation('ListQueues'), async (_req, res) => {
    const all = await queues.list();
    res.json({ Queues: all.map((q) => ({ Name: q.name, Messages: q.messages })) });
  });

  router.get(QUEUE, operation('GetQueue'), async (req, res) => {
    const name = queueParam(req);
    res.json({ Name: name, Messages: await queues.count(name) });
  });

  router.get(`${QUEUE}/messages`, operation('ListQueueMessages'), async (req, res) => {
    const name = queueParam(req);
    const limit = readLimit(queryParam(req, 'limit'));
    const page = await queues.messages(name, limit, queryParam(req, 'after'));
    res.json({
      Messages: page.messages,
      ...(page.next === undefined ? {} : { NextToken: page.next }),
    });
  });

  router.get(`${QUEUE}/messages/:id`, operation('GetQueueMessage'), async (req, res) => {
    const name = queueParam(req);
    const id = String(req.params.id);
    const message = await queues.get(name, id);
    if (message === undefined) throw messageNotFound(name, id);
    res.json(message);
  });

  router.delete(`${QUEUE}/messages/:id`, operation('DeleteQueueMessage'), async (req, res) => {
    const name = queueParam(req);
    const id = String(req.params.id);
    if (!(await queues.remove(name, id))) throw messageNotFound(name, id);
    res.status(204).end();
  });

  router.post(`${QUEUE}/purge`, operation('PurgeQueue'), async (req, res) => {
    const name = queueParam(req);
    res.json({ Purged: await queues.purge(name) });
  });

  router.post(
    `${QUEUE}/redrive`,
    operation('RedriveQueue'),
    jsonBody(SETTINGS_REQUEST_LIMIT_BYTES),
    async (req, res) => {
      const name = queueParam(req);
      const { max, target } = await readRedrive(deps, bodyObject(req.body));
      res.json(await redrive(deps, name, max, target));
    },
  );

  return router;
}
