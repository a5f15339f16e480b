/**
 * @module before-exit
 * One replaceable 'beforeExit' action. Node emits 'beforeExit' when the event loop runs dry;
 * Lambda uses that moment to finish callback-style invocations that wait for an empty event
 * loop, and to answer `null` for handlers that neither return a promise nor call back.
 */
const noop = () => {};
let action = noop;

export const beforeExit = {
  install() {
    process.on('beforeExit', () => action());
  },
  set(fn) {
    action = fn;
  },
  reset() {
    action = noop;
  },
};
