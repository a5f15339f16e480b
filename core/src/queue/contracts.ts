/**
 * @module
 * Queue names and job payloads: the only way the gateway, scheduler and worker talk.
 * Payloads hold no secrets (BullMQ stores job data in clear text): environments stay in the
 * function record, never in a job.
 */

/** BullMQ queue names; the BullMQ `prefix` option is the configured LAMBDOCK_PREFIX. */
export const QUEUES = Object.freeze({
  /** Synchronous invocations: a caller is waiting on a reply channel. */
  INVOKE_SYNC: 'invoke-sync',
  /** Asynchronous invocations (`Event`): 202 was answered after this queue took the job. */
  INVOKE_ASYNC: 'invoke-async',
  /** Function lifecycle work: make a created or updated function Active / Successful. */
  LIFECYCLE: 'lifecycle',
  /**
   * Stem of each worker's own sync queue (see directInvokeQueue): jobs a gateway placed on an
   * idle provisioned environment it claimed on that worker.
   */
  INVOKE_DIRECT: 'invoke-direct',
});

/** The queue only `workerId` consumes (BullMQ queue names may not contain `:`). */
export const directInvokeQueue = (workerId: string): string =>
  `${QUEUES.INVOKE_DIRECT}.${workerId}`;

/**
 * BullMQ options of an async invocation job, whoever queues it (gateway, scheduler). The job id
 * is always the request id, so queueing the same invocation twice adds one job.
 *
 * BullMQ's attempts are not the function's retries: the worker retries a function error and
 * waits out a throttle by moving the job to delayed itself, which spends none of them. They are
 * spent only when the worker's own handling of the event throws (Redis refusing a write, a
 * fault in the worker): the job is tried again 1, 2 and 4 s later, and after the last the
 * worker ends the event failed (worker/src/async/failed-events.ts), so it is never left open.
 */
export const ASYNC_JOB_OPTIONS = Object.freeze({
  attempts: 4,
  backoff: Object.freeze({ type: 'exponential', delay: 1000 }),
  removeOnComplete: { age: 3600 },
  removeOnFail: { age: 86_400 },
});

/**
 * BullMQ options of a sync invoke job, on the shared queue or a worker's direct queue, whether
 * a gateway or another worker's async attempt sent it. Never retried by BullMQ: a sync caller
 * does not wait for a second run, and an async event stays on the shared queue, where its
 * attempt is what is retried. Removed as it completes: the worker keeps a copy of the reply for
 * a sender whose published reply was lost (reply-copies.ts), so Redis does not hold every
 * finished job's event and result. A failed job stays a while, for its sender to see why.
 */
export const SYNC_JOB_OPTIONS = Object.freeze({
  attempts: 1,
  removeOnComplete: true,
  removeOnFail: { age: 600 },
});

/** BullMQ states of a job no worker has taken yet. */
export const UNTAKEN_JOB_STATES: ReadonlySet<string> = new Set([
  'waiting',
  'prioritized',
  'delayed',
  'waiting-children',
]);

export const JOB_NAMES = Object.freeze({
  INVOKE: 'invoke',
  PREPARE: 'prepare',
});

export interface InvokeJobData {
  requestId: string;
  functionName: string;
  /** What the caller asked for: `$LATEST`, a version or an alias. */
  qualifier: string;
  /** The ARN the runtime sees as the invoked function ARN. */
  invokedArn: string;
  /** The event as JSON text (validated by the gateway). */
  payload: string;
  /** Decoded client context JSON text (from base64 `X-Amz-Client-Context`). */
  clientContext?: string;
  cognitoIdentity?: string;
  traceId?: string;
  /** Sync callers that asked for `X-Amz-Log-Type: Tail`. */
  logTail: boolean;
  /**
   * Sync only: pub/sub channel of the waiting gateway, or of the worker that sent an async
   * attempt to one of this worker's provisioned environments.
   */
  replyTo?: string;
  /**
   * Sync only: the concurrency lease the gateway took before enqueueing. Absent on an async
   * attempt sent by another worker: that attempt holds (and renews) its lease itself.
   */
  leaseId?: string;
  /** Sync only: the generation the gateway found Active (lets the worker reuse its record). */
  generation?: number;
  /** Epoch ms when the gateway accepted the request. */
  acceptedAt: number;
  /** Epoch ms after which a sync caller has given up: the worker skips the job. */
  replyDeadline?: number;
  /**
   * Sync only: relay a streamed response (`Lambda-Runtime-Function-Response-Mode: streaming`)
   * to the reply channel chunk by chunk as the runtime sends it (function URLs in
   * RESPONSE_STREAM mode), before the final reply.
   */
  stream?: boolean;
  /**
   * Direct queue only: the idle provisioned environment the gateway (or the worker running an
   * async attempt) claimed for this job. The worker runs it there, or on another of its
   * provisioned environments if that one is gone.
   */
  provisionedEnvId?: string;
}

export interface PrepareJobData {
  functionName: string;
  generation: number;
}

/** How an invocation ended, as the worker reports it. */
export type InvokeOutcome = 'success' | 'function-error' | 'rejected';

export interface InvokeResultHeader {
  requestId: string;
  outcome: InvokeOutcome;
  executedVersion: string;
  contentType?: string;
  /**
   * `function-error` only: the function's error type (`Error`, `Sandbox.Timedout` ...), for
   * an async attempt run on another worker (its invocation record names it).
   */
  errorType?: string;
  /** Base64 of the last 4 KB of the invocation's log, when the caller asked for it. */
  logResult?: string;
  /**
   * Chunks relayed before this reply (streamed responses). The payload repeats their first
   * `payload.length` bytes: all of them unless `streamedBytes` says more were relayed (a stream
   * past the 6 MB a reply holds, up to STREAM_RESPONSE_LIMIT_BYTES).
   */
  streamedChunks?: number;
  /** The bytes those chunks carried, when there were any. */
  streamedBytes?: number;
  /** `rejected` only: an error catalogue code and message for the gateway to render. */
  error?: { code: string; message: string; fields?: Record<string, string | number> };
}

/** What a BullMQ invoke job returns: the header plus the payload as base64. */
export interface InvokeJobResult extends InvokeResultHeader {
  payloadBase64: string;
}
