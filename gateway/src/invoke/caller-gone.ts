/**
 * @module
 * A caller that leaves before its answer: what a sync invoke stops then (its wait for the reply).
 * A close listener on the response, not an `AbortController`: a signal and its listeners cost
 * more per request than everything else the wait does, and only a caller that left early needs
 * anything done.
 */
import type { ServerResponse } from 'node:http';

/** Registers `then`, to run should the caller leave before its response was written. */
export type WhenCallerGone = (then: () => void) => void;

export function whenCallerGone(res: ServerResponse): WhenCallerGone {
  return (then) => {
    res.once('close', () => {
      if (!res.writableFinished) then();
    });
  };
}
