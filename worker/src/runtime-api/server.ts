/**
 * @module
 * One Runtime API listener per execution environment (node:http, port 0). It answers only the
 * container it was made for: until the container's address is known requests wait, and any
 * other peer (another function scanning ports) is disconnected unanswered.
 */
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '@lambdock/core';
import type { InvocationSlot } from './invocation-slot.js';
import { createInOrder } from './in-order.js';
import { dispatch, type HandlerContext } from './router.js';

export interface RuntimeApiServerOptions {
  host: string;
  slot: InvocationSlot;
  responseLimitBytes: number;
  logger: Logger;
  /** When true, requests wait for `allowPeer` and other peers are refused. */
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

/** Pipelined requests a connection may have waiting (runtimes send one poll behind an answer). */
const MAX_PIPELINED = 8;

function plainIp(address: string | undefined): string {
  return (address ?? '').replace(/^::ffff:/, '');
}

export async function startRuntimeApiServer(
  options: RuntimeApiServerOptions,
): Promise<RuntimeApiServer> {
  const ctx: HandlerContext = {
    slot: options.slot,
    responseLimitBytes: options.responseLimitBytes,
    logger: options.logger,
  };
  const inOrder = createInOrder({
    maxWaiting: MAX_PIPELINED,
    onOverflow: (socket) =>
      options.logger.warn(
        { remote: socket.remoteAddress, maxWaiting: MAX_PIPELINED },
        'runtime api: too many pipelined requests; connection cut',
      ),
  });
  let allowPeer: (ip: string) => void = () => undefined;
  // Known once the container has an address; until then requests wait for it.
  let peer: string | undefined;
  const allowed = options.restrictPeer
    ? new Promise<string>((resolve) => (allowPeer = resolve)).then((ip) => (peer = ip))
    : undefined;

  const serve = (req: IncomingMessage, res: ServerResponse, ip: string | undefined): void => {
    if (ip !== undefined && plainIp(req.socket.remoteAddress) !== ip) {
      options.logger.warn(
        { remote: req.socket.remoteAddress },
        'runtime api: foreign peer refused',
      );
      req.socket.destroy();
      return;
    }
    inOrder(req, res, () => void dispatch(ctx, req, res));
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (allowed === undefined || peer !== undefined) return serve(req, res, peer);
    void allowed.then((ip) => serve(req, res, ip));
  };
  const server = createServer(onRequest);
  // /next is a long-poll with no client timeout, and runtimes reuse one keep-alive connection:
  // any server-side timeout would break them (the Node RIC exits when /next fails).
  server.requestTimeout = 0;
  server.keepAliveTimeout = 0;
  server.timeout = 0;
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
      server.closeAllConnections();
      await closed;
    },
  };
}
