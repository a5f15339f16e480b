/**
 * @module runtime
 * The invocation loop: `/next`, run the handler, post `/response` or `/error` with the next
 * `/next` pipelined behind it (one write, no wait for the 202), repeat. One invocation at a
 * time. Buffered handlers may return a promise, call `callback`, or do neither (then `null` is
 * sent once the event loop is empty). Streaming handlers get a ResponseStream and must return
 * a promise.
 */
import { beforeExit } from './before-exit.mjs';
import { createCallbackContext } from './callback-context.mjs';
import { attachInvokeContext, requestIdOf } from './invoke-context.mjs';
import { setCurrentRequestId } from './log-patch.mjs';
import { ResponseStream } from './response-stream.mjs';

const isPromise = (value) => Boolean(value) && typeof value.then === 'function';

export class Runtime {
  /**
   * @param {object} deps
   * @param {import('./runtime-client.mjs').RuntimeClient} deps.client
   * @param {Function} deps.handler
   * @param {{streaming: boolean, highWaterMark?: number}} deps.metadata
   * @param {{setInvocation: (id: string) => void}} deps.errorHooks
   * @param {(message: string, error: unknown) => void} deps.logError
   * @param {{bytes: () => number}} [deps.output] bytes written to stdout and stderr so far
   */
  constructor({ client, handler, metadata, errorHooks, logError, output }) {
    this.client = client;
    this.handler = handler;
    this.metadata = metadata;
    this.errorHooks = errorHooks;
    this.logError = logError;
    this.output = output;
  }

  /** @param {Promise<{body: string, headers: object}>} [asked] a `/next` already sent */
  scheduleIteration(asked) {
    setImmediate(() => {
      const once = this.metadata.streaming
        ? this.#handleStreaming(asked)
        : this.#handleBuffered(asked);
      once.catch((error) => {
        // Only the Runtime API itself gets here (a failed /next): nothing left to report to.
        console.error(`Failed to get next invocation: ${error}`);
        process.exit(1);
      });
    });
  }

  async #next(asked) {
    const { body, headers } = await (asked ?? this.client.nextInvocation());
    const id = requestIdOf(headers);
    setCurrentRequestId(id);
    this.errorHooks.setInvocation(id);
    return { id, body, headers };
  }

  /**
   * Logs a refused post (e.g. 413) and goes on with the `/next` sent behind it; that one is
   * asked again when the refusal closed the connection under it.
   */
  #thenNext({ posted, next }) {
    posted.catch((error) => console.error('Invocation result was not accepted:', error.message));
    this.scheduleIteration(next.catch(() => this.client.nextInvocation()));
  }

  /** Counts the output of one invocation from now: `() => bytes written since`. */
  #outputSince() {
    const start = this.output?.bytes();
    return () => (start === undefined ? undefined : this.output.bytes() - start);
  }

  async #handleBuffered(asked) {
    const { id, body, headers } = await this.#next(asked);
    const written = this.#outputSince();
    const reportError = (error) => {
      this.logError('Invoke Error', error);
      this.#thenNext(this.client.postInvocationErrorThenNext(id, error, written()));
    };
    const reportResult = (result) => {
      let posting;
      try {
        posting = this.client.postInvocationResponseThenNext(id, result, written());
      } catch (error) {
        // Not serializable (e.g. a cycle): report it as the invocation's error.
        return reportError(error);
      }
      this.#thenNext(posting);
    };
    const { callback, context, markCompleted } = createCallbackContext(reportError, reportResult);
    beforeExit.set(() => {
      markCompleted();
      this.#thenNext(this.client.postInvocationResponseThenNext(id, null, written()));
    });
    try {
      const result = this.handler(
        JSON.parse(body),
        attachInvokeContext(context, headers),
        callback,
      );
      if (isPromise(result)) result.then(context.succeed, context.fail).catch(context.fail);
    } catch (error) {
      callback(error);
    }
  }

  async #handleStreaming(asked) {
    const { id, body, headers } = await this.#next(asked);
    let waitForEmptyEventLoop = true;
    const streamingContext = {
      get callbackWaitsForEmptyEventLoop() {
        return waitForEmptyEventLoop;
      },
      set callbackWaitsForEmptyEventLoop(value) {
        waitForEmptyEventLoop = value;
      },
    };
    const stream = new ResponseStream(this.client.openResponseStream(id), {
      highWaterMark: this.metadata.highWaterMark,
    });
    const scheduleNext = () => {
      beforeExit.reset();
      if (!waitForEmptyEventLoop) this.scheduleIteration();
      else beforeExit.set(() => setImmediate(() => this.scheduleIteration()));
    };
    const fail = (error) => {
      this.logError('Invoke Error', error);
      if (!stream.fail(error)) console.error('Response stream already ended; error not reported.');
      stream.responseDone.catch(() => {}).finally(scheduleNext);
    };
    beforeExit.set(() => this.scheduleIteration());
    try {
      const context = attachInvokeContext(streamingContext, headers);
      const result = this.handler(JSON.parse(body), stream, context);
      if (!isPromise(result)) return fail('Streaming does not support non-async handlers.');
      if ((await result) !== undefined) console.warn('Streaming handlers ignore return values.');
      if (!stream.writableEnded) return fail('Response stream is not finished.');
      await stream.responseDone;
      scheduleNext();
    } catch (error) {
      fail(error);
    }
  }
}
