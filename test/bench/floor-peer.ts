/**
 * @module
 * Runs one far end of a floor (floor-ends.ts) in a process of its own: lambdock's client and
 * gateway, and its gateway and worker, are separate processes, so each of their hops wakes
 * another process. Arguments: `http-server`, or `hop-worker <redis url> <prefix>`. Sends its
 * parent a `PeerReady` once it answers, and serves until killed.
 */
import { hopFloorWorker, httpFloorServer, type FloorEnd } from './floor-ends.js';

export interface PeerReady {
  ready: true;
  port?: number;
}

function start(args: string[]): Promise<FloorEnd> {
  const [role, redisUrl, prefix] = args;
  if (role === 'http-server') return httpFloorServer();
  if (role === 'hop-worker' && redisUrl !== undefined && prefix !== undefined)
    return hopFloorWorker(redisUrl, prefix);
  return Promise.reject(new Error(`floor-peer: unknown arguments ${args.join(' ')}`));
}

start(process.argv.slice(2)).then(
  (end) => {
    const ready: PeerReady =
      end.port === undefined ? { ready: true } : { ready: true, port: end.port };
    process.send?.(ready);
  },
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
