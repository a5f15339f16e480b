/**
 * @module
 * The CloudWatch Logs API over functions' logs, for `aws logs` and the logs SDKs pointed at
 * the gateway: `POST /` with `X-Amz-Target: Logs_20140328.<Operation>` and a JSON body,
 * answered in the service's JSON protocol (`application/x-amz-json-1.1`; errors carry
 * `__type`). It reads logs; the operations that write or configure them are refused as
 * InvalidOperationException.
 */
import { Router, type RequestHandler } from 'express';
import { AppError, ERRORS } from '@lambdock/core';
import { describeLogGroups, describeLogStreams } from '../cloudwatch-logs/describe.js';
import { filterLogEvents } from '../cloudwatch-logs/filter-log-events.js';
import { getLogEvents } from '../cloudwatch-logs/get-log-events.js';
import { LogsInput } from '../cloudwatch-logs/logs-input.js';
import type { LogsApiDeps } from '../cloudwatch-logs/operation-deps.js';
import { logsOperationOf } from '../cloudwatch-logs/target.js';
import { jsonBody, SETTINGS_REQUEST_LIMIT_BYTES } from '../middleware/json-body.js';
import { contextOf } from '../middleware/request-context.js';

type Operation = (deps: LogsApiDeps, input: LogsInput) => Promise<Record<string, unknown>>;

/** A map, not an object: a target such as `constructor` must not find an inherited member. */
const OPERATIONS: ReadonlyMap<string, Operation> = new Map<string, Operation>([
  ['DescribeLogGroups', describeLogGroups],
  ['DescribeLogStreams', describeLogStreams],
  ['FilterLogEvents', filterLogEvents],
  ['GetLogEvents', getLogEvents],
]);
const SERVED = [...OPERATIONS.keys()].join(', ');
const OPERATION_NAME = /^[A-Z][A-Za-z0-9]{0,127}$/;

/** The named operation, or the protocol's refusal of it. */
function operationOf(name: string): Operation {
  const served = OPERATIONS.get(name);
  if (served !== undefined) return served;
  if (!OPERATION_NAME.test(name)) {
    throw new AppError(ERRORS.LOGS_UNKNOWN_OPERATION, `Unknown operation: ${name}`);
  }
  throw new AppError(
    ERRORS.LOGS_UNSUPPORTED_OPERATION,
    `${name} is not supported: lambdock's CloudWatch Logs API serves ${SERVED}.`,
  );
}

/**
 * Marks a logs request before anything can refuse it (the signature check comes first), so
 * that every error it gets is rendered in the JSON protocol, `__type` included.
 */
export function markLogsRequests(): RequestHandler {
  return (req, res, next) => {
    if (logsOperationOf(req, req.path) !== undefined) contextOf(res).protocol = 'json';
    next();
  };
}

export function createCloudWatchLogsRouter(deps: LogsApiDeps): Router {
  const router = Router();
  const claim: RequestHandler = (req, res, next) => {
    const name = logsOperationOf(req, req.path);
    if (name === undefined) {
      next('router');
      return;
    }
    contextOf(res).operation = OPERATIONS.has(name) ? name : 'CloudWatchLogs';
    next();
  };
  router.post('/', claim, jsonBody(SETTINGS_REQUEST_LIMIT_BYTES), async (req, res) => {
    const run = operationOf(logsOperationOf(req, req.path) ?? '');
    const result = await run(deps, LogsInput.of(req.body ?? {}));
    const body = Buffer.from(JSON.stringify(result), 'utf8');
    res.setHeader('Content-Type', 'application/x-amz-json-1.1');
    res.setHeader('Content-Length', body.length);
    res.end(body);
  });
  return router;
}
