/**
 * @module
 * HTTP/1.1 pipelining on a runtime's connections. Node's server hands over a pipelined
 * request as soon as it parses it; the Runtime API handles a connection's requests strictly in
 * order, one at a time, so a `/next` a runtime sends right behind its `/response` (in the same
 * write, without waiting for the 202) is taken once that answer is in and its 202 is out.
 * Waiting requests are few (a runtime pipelines one poll behind its answer); a connection that
 * piles up more is cut, so function code cannot make the worker hold requests without bound.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

interface Lane {
  /** The request being handled; later ones wait in `waiting`. */
  busy: boolean;
  readonly waiting: Array<() => void>;
}

/** Runs each request once every earlier request on the same connection has been answered. */
export type InOrder = (req: IncomingMessage, res: ServerResponse, handle: () => void) => void;

export interface InOrderOptions {
  /** Requests that may wait behind the one being handled before the connection is cut. */
  readonly maxWaiting: number;
  /** Told when a connection is cut for piling up requests. */
  readonly onOverflow: (socket: Socket) => void;
}

export function createInOrder(options: InOrderOptions): InOrder {
  const lanes = new WeakMap<Socket, Lane>();

  const start = (lane: Lane, res: ServerResponse, handle: () => void): void => {
    lane.busy = true;
    let left = false;
    const leave = (): void => {
      if (left) return;
      left = true;
      lane.busy = false;
      lane.waiting.shift()?.();
    };
    res.once('finish', leave);
    res.once('close', leave);
    handle();
  };

  const laneOf = (socket: Socket): Lane => {
    const known = lanes.get(socket);
    if (known !== undefined) return known;
    const lane: Lane = { busy: false, waiting: [] };
    lanes.set(socket, lane);
    return lane;
  };

  return (req, res, handle) => {
    const lane = laneOf(req.socket);
    if (!lane.busy) return start(lane, res, handle);
    if (lane.waiting.length >= options.maxWaiting) {
      options.onOverflow(req.socket);
      req.socket.destroy();
      return;
    }
    lane.waiting.push(() => start(lane, res, handle));
  };
}
