/**
 * @module
 * The Runtime API state of one execution environment: at most one invocation in flight, the
 * runtime's parked `/next`, and init. The HTTP handlers drive the runtime side; the
 * environment drives the platform side (`submit`, `close`). Timeouts and container exits are
 * not the slot's business: the environment races them against `submit`.
 */
import { REFUSALS, type Refusal } from './render.js';

/** An event ready for the runtime. */
export interface Invocation {
  readonly requestId: string;
  readonly payload: Buffer;
  readonly invokedFunctionArn: string;
  readonly timeoutMs: number;
  readonly traceId?: string;
  readonly clientContext?: string;
  readonly cognitoIdentity?: string;
  /** A caller that takes a streamed response as it comes: each chunk, as the runtime sends it. */
  readonly onChunk?: (data: Buffer, contentType: string | undefined) => void;
}

/** What the runtime made of an invocation. */
export type RuntimeOutcome =
  | { kind: 'response'; body: Buffer; contentType: string | undefined; outputBytes?: number }
  | { kind: 'function-error'; errorType: string; body: Buffer; outputBytes?: number }
  /** Past the response limit, or a relayed stream past the stream limit (`limitBytes`). */
  | { kind: 'too-large'; limitBytes?: number }
  | { kind: 'init-error'; errorType: string; body: Buffer };

export interface InitFailure {
  readonly errorType: string;
  readonly body: Buffer;
}

/** Writes the event to a parked `/next`; false when that connection is already gone. */
export type Deliver = (invocation: Invocation, deadlineMs: number) => boolean;

export interface SlotEvents {
  onInitDone?(atMs: number): void;
  onDelivered?(invocation: Invocation, atMs: number): void;
  onInitError?(failure: InitFailure): void;
}

interface Entry {
  invocation: Invocation;
  resolve: (outcome: RuntimeOutcome) => void;
}

export interface InvocationSlot {
  /** `GET /next`: a refusal, or undefined when the request is answered now or parked. */
  next(deliver: Deliver): Refusal | undefined;
  /** The parked `/next` connection closed. */
  cancelNext(deliver: Deliver): void;
  /** Before reading a `/response` or `/error` body: is this id the one in flight? */
  check(requestId: string): Refusal | undefined;
  /** Where the chunks of a streamed response of `requestId` go, when its caller takes them. */
  chunkSink(requestId: string): Invocation['onChunk'];
  /** Record the outcome; false when the id is no longer in flight (answered or aborted). */
  complete(requestId: string, outcome: RuntimeOutcome): boolean;
  initError(failure: InitFailure): Refusal | undefined;
  submit(invocation: Invocation): Promise<RuntimeOutcome>;
  /** Stop handing out events; the environment is being retired. */
  close(): void;
  readonly initialized: boolean;
  readonly initFailure: InitFailure | undefined;
}

export function createInvocationSlot(events: SlotEvents = {}, now = Date.now): InvocationSlot {
  let initialized = false;
  let initFailure: InitFailure | undefined;
  let closed = false;
  let parked: Deliver | undefined;
  let queued: Entry | undefined;
  let current: Entry | undefined;
  let lastAnswered: string | undefined;

  const tryDeliver = (entry: Entry, deliver: Deliver): boolean => {
    const at = now();
    if (!deliver(entry.invocation, at + entry.invocation.timeoutMs)) return false;
    queued = undefined;
    current = entry;
    events.onDelivered?.(entry.invocation, at);
    return true;
  };

  return {
    get initialized() {
      return initialized;
    },
    get initFailure() {
      return initFailure;
    },
    next(deliver) {
      if (current) return REFUSALS.invalidStateTransition('next while an invocation is in flight');
      if (!initialized) {
        initialized = true;
        events.onInitDone?.(now());
      }
      // A closed slot keeps the request parked, unanswered: closing an idle /next makes
      // runtimes log an error and exit, and the container is about to be killed anyway.
      if (closed) return undefined;
      if (queued && tryDeliver(queued, deliver)) return undefined;
      parked = deliver;
      return undefined;
    },
    cancelNext(deliver) {
      if (parked === deliver) parked = undefined;
    },
    check(requestId) {
      if (current) {
        return current.invocation.requestId === requestId
          ? undefined
          : REFUSALS.invalidRequestId(requestId);
      }
      if (requestId === lastAnswered) return REFUSALS.invalidRequestId(requestId);
      return REFUSALS.invalidStateTransition('no invocation in flight');
    },
    chunkSink(requestId) {
      return current?.invocation.requestId === requestId ? current.invocation.onChunk : undefined;
    },
    complete(requestId, outcome) {
      if (!current || current.invocation.requestId !== requestId) return false;
      const entry = current;
      current = undefined;
      lastAnswered = requestId;
      entry.resolve(outcome);
      return true;
    },
    initError(failure) {
      if (initialized) return REFUSALS.invalidStateTransition('init error after init');
      if (initFailure) return REFUSALS.invalidStateTransition('init error already reported');
      initFailure = failure;
      events.onInitError?.(failure);
      if (queued) {
        const entry = queued;
        queued = undefined;
        entry.resolve({ kind: 'init-error', ...failure });
      }
      return undefined;
    },
    submit(invocation) {
      if (closed) return Promise.reject(new Error('environment is retired'));
      if (current || queued) return Promise.reject(new Error('an invocation is already in flight'));
      if (initFailure) return Promise.resolve({ kind: 'init-error', ...initFailure });
      return new Promise<RuntimeOutcome>((resolve) => {
        queued = { invocation, resolve };
        const deliver = parked;
        parked = undefined;
        // If the parked connection died, the event stays queued for the runtime's next ask.
        if (deliver) tryDeliver(queued, deliver);
      });
    },
    close() {
      closed = true;
      parked = undefined;
      queued = undefined;
      current = undefined;
    },
  };
}
