/**
 * @module
 * The clock of one invocation inside an environment. Before the event is handed over, a new
 * environment has what is left of its init time and a warm one the function timeout (its
 * runtime should already be waiting on /next); once handed over, the function timeout runs.
 * Whatever comes first ends the run: the runtime's answer, a deadline, or the container's exit.
 */
import type { ExitInfo } from '../containers/container-driver.js';
import type { Invocation, InvocationSlot, RuntimeOutcome } from '../runtime-api/invocation-slot.js';
import { exitError, initTimeoutError, timeoutError, type PlatformError } from './error-payloads.js';
import type { CapturedOutput, LogCapture } from './log-capture.js';

export type Ending =
  | { kind: 'runtime'; outcome: RuntimeOutcome }
  | { kind: 'platform'; error: PlatformError; status: 'timeout' | 'error' }
  /** A warm environment died before taking the event: not this invocation's failure. */
  | { kind: 'vanished'; exit: ExitInfo }
  /** The container engine lost the container (Docker restarting): the platform's failure. */
  | { kind: 'engine-lost' };

export interface RunContext {
  readonly slot: InvocationSlot;
  readonly capture: LogCapture;
  readonly initTimeoutMs: number;
  readonly initStartedAt: number;
  readonly now: () => number;
}

export interface RunEnd {
  readonly ending: Ending;
  readonly submittedAt: number;
  readonly deliveredAt: number | undefined;
  readonly endedAt: number;
  readonly captured: Promise<CapturedOutput>;
}

export interface Run {
  /** Hand the event to the slot. Separate from construction: delivery can be synchronous. */
  start(): void;
  delivered(atMs: number): void;
  exited(exit: ExitInfo): void;
  readonly done: Promise<RunEnd>;
}

function timedOut(invocation: Invocation): Ending {
  const error = timeoutError(invocation.requestId, invocation.timeoutMs / 1000);
  return { kind: 'platform', error, status: 'timeout' };
}

/** The output the runtime said it wrote with its answer, when it said. */
function outputBytesOf(ending: Ending): number | undefined {
  if (ending.kind !== 'runtime') return undefined;
  const { outcome } = ending;
  return outcome.kind === 'response' || outcome.kind === 'function-error'
    ? outcome.outputBytes
    : undefined;
}

export function runInvocation(ctx: RunContext, invocation: Invocation): Run {
  const submittedAt = ctx.now();
  const warm = ctx.slot.initialized;
  let deliveredAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;
  let finish: (end: RunEnd) => void = () => undefined;
  const done = new Promise<RunEnd>((resolve) => (finish = resolve));
  let ended = false;

  const end = (ending: Ending): void => {
    if (ended) return;
    ended = true;
    clearTimeout(timer);
    const endedAt = ctx.now();
    const captured = ctx.capture.finish(outputBytesOf(ending));
    finish({ ending, submittedAt, deliveredAt, endedAt, captured });
  };

  if (ctx.slot.initialized) {
    timer = setTimeout(() => end(timedOut(invocation)), invocation.timeoutMs);
  } else {
    const left = Math.max(0, ctx.initTimeoutMs - (submittedAt - ctx.initStartedAt));
    const error = initTimeoutError(invocation.requestId, ctx.initTimeoutMs);
    timer = setTimeout(() => end({ kind: 'platform', error, status: 'timeout' }), left);
  }
  return {
    done,
    start() {
      ctx.slot.submit(invocation).then(
        (outcome) => end({ kind: 'runtime', outcome }),
        () =>
          end({
            kind: 'platform',
            error: exitError(invocation.requestId, { code: 0, oomKilled: false }),
            status: 'error',
          }),
      );
    },
    delivered(at) {
      if (ended) return;
      deliveredAt = at;
      ctx.capture.begin();
      // A warm run's timer already has the function timeout: restart it from now.
      if (warm && timer !== undefined) {
        timer.refresh();
        return;
      }
      clearTimeout(timer);
      timer = setTimeout(() => end(timedOut(invocation)), invocation.timeoutMs);
    },
    exited(exit) {
      if (exit.engineLost) {
        end(
          warm && deliveredAt === undefined ? { kind: 'vanished', exit } : { kind: 'engine-lost' },
        );
        return;
      }
      // A runtime that reported an init error exits next; the report is the better answer.
      // A runtime that ended itself after its previous invocation (uncaught exception)
      // exits before it asks for this one; Lambda would start a fresh environment for it.
      const failure = ctx.slot.initFailure;
      if (failure) end({ kind: 'runtime', outcome: { kind: 'init-error', ...failure } });
      else if (warm && deliveredAt === undefined) end({ kind: 'vanished', exit });
      else end({ kind: 'platform', error: exitError(invocation.requestId, exit), status: 'error' });
    },
  };
}
