/**
 * @module trace-env
 * Keeps `_X_AMZN_TRACE_ID` out of the C environment. It changes on every invocation, and
 * glibc's setenv keeps every value ever set (about 160 bytes per invocation, never freed), so
 * a busy warm environment would grow until its memory limit killed it. The variable lives in
 * a JS-side overlay of `process.env` instead: reads, writes, `in`, `delete`, `Object.keys`
 * and child processes (which copy `process.env`) all see it as before; every other variable
 * goes straight to the real environment, so `TZ` and the rest behave as they always do.
 */
export const TRACE_ID_KEY = '_X_AMZN_TRACE_ID';
/**
 * `env[PLAIN_ENV]` is the environment under the overlay, for reads of other variables that
 * skip the overlay's trap (the runtime reads five of them for every invocation's context).
 */
export const PLAIN_ENV = Symbol('lambdock.plainEnv');

const descriptor = (value) => ({ value, writable: true, enumerable: true, configurable: true });

/** `process.env` with the trace id held in memory; `real` loses its own copy, if any. */
export function traceEnv(real) {
  let trace = real[TRACE_ID_KEY];
  delete real[TRACE_ID_KEY];
  return new Proxy(real, {
    get: (target, key) => {
      if (key === TRACE_ID_KEY) return trace;
      return key === PLAIN_ENV ? target : target[key];
    },
    set(target, key, value) {
      if (key === TRACE_ID_KEY) trace = String(value);
      else target[key] = value;
      return true;
    },
    has: (target, key) => (key === TRACE_ID_KEY ? trace !== undefined : key in target),
    deleteProperty(target, key) {
      if (key === TRACE_ID_KEY) trace = undefined;
      else delete target[key];
      return true;
    },
    ownKeys(target) {
      const keys = Reflect.ownKeys(target).filter((key) => key !== TRACE_ID_KEY);
      if (trace !== undefined) keys.push(TRACE_ID_KEY);
      return keys;
    },
    getOwnPropertyDescriptor(target, key) {
      if (key !== TRACE_ID_KEY) return Reflect.getOwnPropertyDescriptor(target, key);
      return trace === undefined ? undefined : descriptor(trace);
    },
    defineProperty(target, key, desc) {
      if (key !== TRACE_ID_KEY) return Reflect.defineProperty(target, key, desc);
      trace = String(desc.value);
      return true;
    },
  });
}

/** Replaces `process.env` with the overlay; call before any user code runs. */
export function installTraceEnv() {
  process.env = traceEnv(process.env);
}
