/**
 * @module
 * Invoke: `POST /2015-03-31/functions/{name}/invocations`. Admission (name, qualifier, headers,
 * size, JSON, function state) happens here; sync invokes wait for the worker's reply, `Event`
 * invokes are answered 202 only once Redis stored the job, `DryRun` stops after the checks
 * (204). A sync job names the version that runs (a weighted alias is picked here, so
 * X-Amz-Executed-Version is exact); an `Event` job keeps the qualifier as given, resolved by the
 * worker when the attempt runs. Either way the runtime sees the ARN it was invoked through.
 * A sync invoke takes its target (the record, and an alias's) from the gateway's admission and
 * its lease with the add (invoke/held-invoke.ts).
 */
import type { IncomingMessage } from 'node:http';
import { Router, type Request } from 'express';
import {
  ERRORS,
  INVOKE_HEADERS,
  functionArn,
  isAppError,
  parseFunctionName,
  type FunctionRecord,
  type InvokeJobData,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';
import { whenCallerGone } from '../invoke/caller-gone.js';
import { stateConflict } from '../functions/conflicts.js';
import { queryParam } from '../functions/lookup.js';
import { headerOf, readInvokeHeaders, type InvokeHeaders } from '../invoke/invoke-headers.js';
import { decodePayload } from '../invoke/parse-payload.js';
import { readPayload } from '../invoke/read-payload.js';
import { sendReply } from '../invoke/render-reply.js';
import { admittedTarget, invokeHeld, type HeldTarget } from '../invoke/held-invoke.js';
import type { InvocationOutcome } from '../metrics.js';
import { contextOf, type ContextResponse } from '../middleware/request-context.js';
import { operation } from '../middleware/operation.js';
import { resolveInvokeTarget, type InvokeTarget } from '../versions/resolve-target.js';

const TRACE_ID = /^[A-Za-z0-9=;:._-]{1,256}$/;

export function outcomeOfError(err: unknown): InvocationOutcome {
  if (!isAppError(err)) return 'rejected';
  if (err.code === ERRORS.THROTTLED.code) return 'throttled';
  if (err.code === ERRORS.INVOKE_TIMEOUT.code) return 'no-reply';
  if (err.code === ERRORS.SERVICE_UNAVAILABLE.code) return 'unavailable';
  return 'rejected';
}

interface Admitted {
  record: FunctionRecord;
  headers: InvokeHeaders;
  job: InvokeJobData;
  /** Sync invokes: the target as held, for the lease taken with the add, and how to reload it. */
  sync?: { held: HeldTarget; reload: () => Promise<HeldTarget> };
}

/** The `{name}` path segment (decoded) and the `Qualifier` query parameter, as sent. */
export interface InvokeAddress {
  name: string | undefined;
  qualifier: string | undefined;
}

/** How an invoke operation reads its request (Invoke, InvokeWithResponseStream, InvokeAsync). */
export interface InvokeRequestRules {
  address: InvokeAddress;
  /** The operation's invocation type, log type and client context. */
  readHeaders: () => InvokeHeaders;
  /** @defaultValue ASYNC_PAYLOAD_LIMIT_BYTES */
  eventLimitBytes?: number;
  /** Set once the request is known to be synchronous (its latency is then observed). */
  track: { sync: boolean };
}

/** Everything an invocation is checked for before it runs. */
export async function admit(
  deps: ResolvedGatewayDeps,
  req: IncomingMessage,
  res: ContextResponse,
  rules: InvokeRequestRules,
): Promise<Admitted> {
  const { requestId } = contextOf(res);
  const { settings } = deps;
  const { address, track } = rules;
  const { name, qualifier } = parseFunctionName(address.name, {
    ...settings,
    rule: 'invoke',
    qualifier: address.qualifier,
  });
  const headers = rules.readHeaders();
  const event = headers.invocationType === 'Event';
  track.sync = headers.invocationType === 'RequestResponse';
  const bytes = event
    ? await readPayload(req, rules.eventLimitBytes ?? settings.asyncPayloadLimitBytes, 'event')
    : await readPayload(req, settings.syncPayloadLimitBytes, 'sync');
  const ready = (record: FunctionRecord): void => {
    if (record.state !== 'Active') throw stateConflict(record);
  };
  let target: InvokeTarget;
  let sync: Admitted['sync'];
  if (track.sync) {
    const reload = (): Promise<HeldTarget> => admittedTarget(deps, name, qualifier, ready);
    const held = await reload();
    target = held;
    sync = { held, reload };
  } else {
    target = await resolveInvokeTarget(deps, name, qualifier);
    ready(target.record);
  }
  const { record } = target;
  const payload = decodePayload(bytes);
  const traceId = headerOf(req, INVOKE_HEADERS.TRACE_ID);
  const job: InvokeJobData = {
    requestId,
    functionName: name,
    qualifier: event ? (qualifier ?? '$LATEST') : target.executedVersion,
    invokedArn: functionArn(settings, name, qualifier),
    payload,
    // AWS hands the client context and the log tail to synchronous invocations only.
    ...(!event && headers.clientContext !== undefined
      ? { clientContext: headers.clientContext }
      : {}),
    ...(traceId !== undefined && TRACE_ID.test(traceId) ? { traceId } : {}),
    logTail: !event && headers.logTail,
    acceptedAt: deps.now(),
  };
  return { record, headers, job, ...(sync === undefined ? {} : { sync }) };
}

async function respondSync(
  deps: ResolvedGatewayDeps,
  res: ContextResponse,
  admitted: Admitted,
): Promise<void> {
  const { record, job, headers, sync } = admitted;
  const { metrics } = deps;
  try {
    if (sync === undefined) throw new Error('sync invoke admitted without its target');
    const { logger } = contextOf(res);
    const reply = await invokeHeld(deps, { ...sync, job, whenGone: whenCallerGone(res), logger });
    // A worker's refusal throws here, and is counted once, below.
    sendReply(res, reply, headers.logTail);
    const outcome = reply.header.outcome;
    metrics.invocations.inc({ function: record.name, outcome });
    if (outcome === 'function-error') metrics.invokeErrors.inc({ function: record.name });
  } catch (err) {
    metrics.invocations.inc({ function: record.name, outcome: outcomeOfError(err) });
    throw err;
  }
}

/** An admitted `Event` invocation, stored in the queue (Redis acknowledged it) or thrown. */
export async function enqueueEvent(deps: ResolvedGatewayDeps, admitted: Admitted): Promise<void> {
  try {
    await deps.coalesce(() => deps.queue.enqueueAsync(admitted.job));
  } catch (err) {
    deps.metrics.invocations.inc({ function: admitted.record.name, outcome: 'unavailable' });
    throw err;
  }
  deps.metrics.invocations.inc({ function: admitted.record.name, outcome: 'queued' });
}

async function handle(
  deps: ResolvedGatewayDeps,
  req: IncomingMessage,
  res: ContextResponse,
  address: InvokeAddress,
  track: { sync: boolean },
): Promise<void> {
  const readHeaders = () => readInvokeHeaders(req);
  const admitted = await admit(deps, req, res, { address, readHeaders, track });
  const { invocationType } = admitted.headers;
  if (invocationType === 'DryRun') {
    res.statusCode = 204;
    res.end();
    return;
  }
  if (invocationType === 'Event') {
    await enqueueEvent(deps, admitted);
    res.statusCode = 202;
    res.end();
    return;
  }
  await respondSync(deps, res, admitted);
}

/**
 * Invoke on plain Node objects: the Express route below and the fast path in front of Express
 * (ingress/invoke-fast-path.ts) both run it; errors are thrown for the caller to render.
 */
export function handleInvoke(
  deps: ResolvedGatewayDeps,
  req: IncomingMessage,
  res: ContextResponse,
  address: InvokeAddress,
): Promise<void> {
  return timed(deps, (track) => handle(deps, req, res, address, track));
}

/** Run an invoke operation, observing its latency if admission found it synchronous. */
export async function timed(
  deps: ResolvedGatewayDeps,
  run: (track: { sync: boolean }) => Promise<void>,
): Promise<void> {
  const stopTimer = deps.metrics.invokeDuration.startTimer();
  const track = { sync: false };
  try {
    await run(track);
  } finally {
    if (track.sync) stopTimer();
  }
}

const INVOKE_ROUTE = '/2015-03-31/functions/:name/invocations';

/** The address of an invoke route (`:name`), with the `Qualifier` parameter when it takes one. */
export function invokeAddressOf(req: Request, withQualifier: boolean): InvokeAddress {
  return {
    name: typeof req.params.name === 'string' ? req.params.name : undefined,
    qualifier: withQualifier ? queryParam(req, 'Qualifier') : undefined,
  };
}

export function createInvokeRouter(deps: ResolvedGatewayDeps): Router {
  const router = Router();
  router.post(INVOKE_ROUTE, operation('Invoke'), (req, res) =>
    handleInvoke(deps, req, res, invokeAddressOf(req, true)),
  );
  return router;
}
