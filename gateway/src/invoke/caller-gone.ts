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

/** What is looked at of the response (a ServerResponse). */
export interface CallerResponse extends Pick<ServerResponse, 'closed' | 'writableFinished'> {
  once(event: 'close', listener: () => void): unknown;
}

export function whenCallerGone(res: CallerResponse): WhenCallerGone {
  return (then) => {
    // Gone already (during admission): its close has been and will not come again.
    if (res.closed) {
      if (!res.writableFinished) then();
      return;
    }
    res.once('close', () => {
      if (!res.writableFinished) then();
    });
  };
}
