/**
 * @module callback-context
 * The completion functions of a buffered invocation: the handler's `callback`, and the legacy
 * `context.succeed/fail/done`. Only the first completion counts. A callback with a result waits
 * for the event loop to empty unless `context.callbackWaitsForEmptyEventLoop` is false, which is
 * how AWS lets pending timers and sockets finish before the response is sent.
 */
import { beforeExit } from './before-exit.mjs';

/**
 * @param {(error: unknown) => void} reportError posts the error and moves on
 * @param {(result: unknown) => void} reportResult posts the result and moves on
 * @returns {{callback: Function, context: object, markCompleted: () => void}}
 */
export function createCallbackContext(reportError, reportResult) {
  let completed = false;
  let finished = false;
  let waitForEmptyEventLoop = true;

  const complete = (result) => {
    if (completed) {
      console.error(
        'Invocation has already been reported as done. Cannot call complete more than once per invocation.',
      );
      return;
    }
    completed = true;
    reportResult(result);
  };

  const rawCallback = (error, result) => {
    beforeExit.reset();
    if (error !== undefined && error !== null) reportError(error);
    else if (!waitForEmptyEventLoop) complete(result);
    else beforeExit.set(() => setImmediate(() => complete(result)));
  };
  const done = (error, result) => {
    beforeExit.reset();
    if (error !== undefined && error !== null) reportError(error);
    else complete(result);
  };

  const once =
    (fn) =>
    (...args) => {
      if (finished) return;
      fn(...args);
      finished = true;
    };

  const context = {
    get callbackWaitsForEmptyEventLoop() {
      return waitForEmptyEventLoop;
    },
    set callbackWaitsForEmptyEventLoop(value) {
      waitForEmptyEventLoop = value;
    },
    succeed: once((result) => done(null, result)),
    fail: once((error) => done(error === undefined || error === null ? 'handled' : error, null)),
    done: once(done),
  };
  return { callback: once(rawCallback), context, markCompleted: () => (completed = true) };
}
