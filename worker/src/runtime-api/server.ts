/**
 * @module
 * One Runtime API listener per execution environment (port 0), speaking HTTP/1.1 itself
 * (wire/connection.ts) so that answers written in one turn share a write. It answers only the
 * container it was made for: until the container's address is known connections wait unread,
 * and any other peer (another function scanning ports) is disconnected unanswered.
 */
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import type { Logger } from '@lambdock/core';
import type { InvocationSlot } from './invocation-slot.js';
import { refuseWire } from './render.js';
import { dispatch, type HandlerContext } from './router.js';
import { serveConnection, type ConnectionOptions } from './wire/connection.js';

export interface RuntimeApiServerOptions {
  host: string;
  slot: InvocationSlot;
  responseLimitBytes: number;
  streamLimitBytes: number;
  logger: Logger;
  /** When true, connections wait for `allowPeer` and other peers are refused. */
  restrictPeer: boolean;
}

export interface RuntimeApiServer {
  readonly host: string;
  readonly port: number;
  /** `host:port`, the value of AWS_LAMBDA_RUNTIME_API. */
  readonly address: string;
  allowPeer(ip: string): void;
  close(): Promise<void>;
}

/** Node's own default cap on a request head. */
const MAX_HEAD_BYTES = 16 * 1024;
/**
 * Bytes a runtime may send behind the request being answered (runtimes pipeline one poll
 * behind an answer); past this the connection is cut, so function code cannot make the worker
 * hold input without bound.
 */
const MAX_AHEAD_BYTES = 64 * 1024;

function plainIp(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

export async function startRuntimeApiServer(
  options: RuntimeApiServerOptions,
): Promise<RuntimeApiServer> {
  const ctx: HandlerContext = {
    slot: options.slot,
    responseLimitBytes: options.responseLimitBytes,
    streamLimitBytes: options.streamLimitBytes,
    logger: options.logger,
  };
  const connection: ConnectionOptions = {
    dispatch: (request, reply) => void dispatch(ctx, request, reply),
    refuse: refuseWire,
    onOverflow: (socket) =>
      options.logger.warn(
        { remote: socket.remoteAddress, maxAheadBytes: MAX_AHEAD_BYTES },
        'runtime api: too much sent ahead of an answer; connection cut',
      ),
    maxHeadBytes: MAX_HEAD_BYTES,
    maxAheadBytes: MAX_AHEAD_BYTES,
  };
  let allowPeer: (ip: string) => void = () => undefined;
  // Known once the container has an address; until then connections wait for it.
  let peer: string | undefined;
  const allowed = options.restrictPeer
    ? new Promise<string>((resolve) => (allowPeer = resolve)).then((ip) => (peer = ip))
    : undefined;
  const sockets = new Set<Socket>();

  const serve = (socket: Socket, ip: string | undefined): void => {
    if (socket.destroyed) return;
    if (ip !== undefined && plainIp(socket.remoteAddress) !== ip) {
      options.logger.warn({ remote: socket.remoteAddress }, 'runtime api: foreign peer refused');
      socket.destroy();
      return;
    }
    serveConnection(socket, connection);
    socket.resume();
  };
  // /next is a long-poll with no client timeout, and runtimes reuse one keep-alive connection:
  // connections have no timeout (the Node RIC exits when /next fails).
  const server = createServer({ allowHalfOpen: true, pauseOnConnect: true }, (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    if (allowed === undefined || peer !== undefined) return serve(socket, peer);
    void allowed.then((ip) => serve(socket, ip));
  });
  server.listen(0, options.host);
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    host: options.host,
    port,
    address: `${options.host}:${port}`,
    allowPeer: (ip) => allowPeer(ip),
    close: async () => {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}
