/**
 * @module
 * The record every async invocation keeps by request id: its status, each attempt with its
 * times and outcome, the final result or error and what was sent to its destinations. The
 * transitions are pure; the store applies them with compare-and-set. A terminal record
 * (succeeded, failed, dropped) never changes status again, so however many workers or
 * redeliveries race, one request id ends exactly once.
 */
import type { DeliveryKind } from './delivery-id.js';

export type InvocationStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'dropped';
export type AttemptOutcome = 'Success' | 'FunctionError' | 'PlatformError' | 'Interrupted';
/** AWS's `requestContext.condition` values. */
export type DestinationCondition =
  'Success' | 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';
export type DeliveryStatus = 'Pending' | 'Delivered' | 'Failed';

export interface AttemptRecord {
  Attempt: number;
  StartedAt: string;
  EndedAt?: string;
  Outcome?: AttemptOutcome;
  ErrorType?: string;
}

export interface DestinationDelivery {
  Kind: DeliveryKind;
  Target: string;
  DeliveryId: string;
  Status: DeliveryStatus;
  At?: string;
  Error?: string;
}

export interface InvocationRecord {
  RequestId: string;
  FunctionName: string;
  Qualifier: string;
  Status: InvocationStatus;
  AcceptedAt: string;
  Attempts: AttemptRecord[];
  /** Set while a retry waits: no attempt starts before it. */
  NextAttemptAt?: string;
  /** Terminal records: why it ended (AWS's destination condition). */
  Condition?: DestinationCondition;
  FinishedAt?: string;
  /** The version that ran last (`$LATEST` or a number), once an attempt ran. */
  ExecutedVersion?: string;
  /** The function's answer (parsed JSON, or text), when it succeeded. */
  Result?: unknown;
  /** The result was too large to keep; it is neither here nor in destination records. */
  ResultTruncated?: true;
  /** The last function error payload, or the platform's refusal. */
  Error?: unknown;
  Destinations: DestinationDelivery[];
}

export interface NewInvocation {
  requestId: string;
  functionName: string;
  qualifier: string;
  acceptedAtMs: number;
}

const TERMINAL: ReadonlySet<InvocationStatus> = new Set(['succeeded', 'failed', 'dropped']);
const iso = (ms: number): string => new Date(ms).toISOString();

export function isTerminal(record: InvocationRecord): boolean {
  return TERMINAL.has(record.Status);
}

export function newInvocationRecord(input: NewInvocation): InvocationRecord {
  return {
    RequestId: input.requestId,
    FunctionName: input.functionName,
    Qualifier: input.qualifier,
    Status: 'queued',
    AcceptedAt: iso(input.acceptedAtMs),
    Attempts: [],
    Destinations: [],
  };
}

/** Attempts that ended in a function error (timeouts and crashes of the runtime included). */
export function functionErrorCount(record: InvocationRecord): number {
  return record.Attempts.filter((a) => a.Outcome === 'FunctionError').length;
}

/** Attempts that handed the event to the function: AWS's `approximateInvokeCount`. */
export function invokeCount(record: InvocationRecord): number {
  return record.Attempts.filter((a) => a.Outcome !== 'PlatformError').length;
}

/**
 * Begin the next attempt. An attempt still open belonged to a worker that died: it is closed
 * as Interrupted, which spends no retry (a crash is the platform's fault, not the function's).
 */
export function startAttempt(
  record: InvocationRecord,
  nowMs: number,
): InvocationRecord | undefined {
  if (isTerminal(record)) return undefined;
  const attempts = record.Attempts.map((a) =>
    a.EndedAt === undefined ? { ...a, EndedAt: iso(nowMs), Outcome: 'Interrupted' as const } : a,
  );
  attempts.push({ Attempt: attempts.length + 1, StartedAt: iso(nowMs) });
  const next: InvocationRecord = { ...record, Status: 'running', Attempts: attempts };
  delete next.NextAttemptAt;
  return next;
}

export interface AttemptEnd {
  outcome: AttemptOutcome;
  errorType?: string;
  /** The event goes back to the queue until then. */
  nextAttemptAtMs?: number;
}

/** Close the open attempt; the event is queued again (a terminal transition follows if not). */
export function endAttempt(
  record: InvocationRecord,
  end: AttemptEnd,
  nowMs: number,
): InvocationRecord | undefined {
  if (isTerminal(record)) return undefined;
  const attempts = record.Attempts.map((a, i) =>
    i === record.Attempts.length - 1 && a.EndedAt === undefined
      ? {
          ...a,
          EndedAt: iso(nowMs),
          Outcome: end.outcome,
          ...(end.errorType === undefined ? {} : { ErrorType: end.errorType }),
        }
      : a,
  );
  const next: InvocationRecord = { ...record, Status: 'queued', Attempts: attempts };
  if (end.nextAttemptAtMs === undefined) delete next.NextAttemptAt;
  else next.NextAttemptAt = iso(end.nextAttemptAtMs);
  return next;
}

export interface Ending {
  status: 'succeeded' | 'failed' | 'dropped';
  condition: DestinationCondition;
  result?: unknown;
  resultTruncated?: boolean;
  error?: unknown;
  executedVersion?: string;
  /** Deliveries owed (all Pending); marked one by one as they are made. */
  destinations: DestinationDelivery[];
}

/** The one terminal transition; `undefined` when the record already ended. */
export function finishRecord(
  record: InvocationRecord,
  ending: Ending,
  nowMs: number,
): InvocationRecord | undefined {
  if (isTerminal(record)) return undefined;
  const next: InvocationRecord = {
    ...record,
    Status: ending.status,
    Condition: ending.condition,
    FinishedAt: iso(nowMs),
    Destinations: ending.destinations,
  };
  delete next.NextAttemptAt;
  if (ending.executedVersion !== undefined) next.ExecutedVersion = ending.executedVersion;
  if (ending.result !== undefined) next.Result = ending.result;
  if (ending.resultTruncated === true) next.ResultTruncated = true;
  if (ending.error !== undefined) next.Error = ending.error;
  return next;
}

/** Record how one delivery went; terminal records take this too (status never changes). */
export function markDelivery(
  record: InvocationRecord,
  deliveryId: string,
  outcome: { status: 'Delivered' | 'Failed'; error?: string },
  nowMs: number,
): InvocationRecord | undefined {
  const index = record.Destinations.findIndex((d) => d.DeliveryId === deliveryId);
  const current = record.Destinations[index];
  if (current === undefined || current.Status === 'Delivered') return undefined;
  const updated: DestinationDelivery = {
    Kind: current.Kind,
    Target: current.Target,
    DeliveryId: current.DeliveryId,
    Status: outcome.status,
    At: iso(nowMs),
    ...(outcome.error === undefined ? {} : { Error: outcome.error }),
  };
  const destinations = record.Destinations.map((d, i) => (i === index ? updated : d));
  return { ...record, Destinations: destinations };
}
