import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { createSilentLogger } from '@lambdock/core';
import type { Invocation, InvocationSlot } from '../../src/runtime-api/invocation-slot.js';
import { startRuntimeApiServer, type RuntimeApiServer } from '../../src/runtime-api/server.js';
import { API } from './http.js';

/** An event whose payload names its id: `{"event":"<id>"}`. */
export function rawEvent(requestId: string): Invocation {
  return {
    requestId,
    payload: Buffer.from(`{"event":"${requestId}"}`),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
    timeoutMs: 3000,
  };
}

export const NEXT = `GET ${API}/invocation/next HTTP/1.1\r\nHost: rt\r\n\r\n`;

/** A Runtime API listener for `slot` on 127.0.0.1, with a 1 KiB cap on answers. */
export function rawServer(slot: InvocationSlot): Promise<RuntimeApiServer> {
  return startRuntimeApiServer({
    host: '127.0.0.1',
    slot,
    responseLimitBytes: 1024,
    streamLimitBytes: 4096,
    logger: createSilentLogger(),
    restrictPeer: false,
  });
}

/** A runtime connected to the listener on `port`. */
export async function connectRaw(port: number): Promise<RawRuntime> {
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  return new RawRuntime(socket);
}

/** A runtime speaking raw HTTP/1.1 on one connection, keeping everything it was sent. */
export class RawRuntime {
  received = '';
  /** What each read brought, in order. */
  readonly reads: string[] = [];
  private readonly waiters: Array<() => void> = [];

  constructor(readonly socket: Socket) {
    socket.setEncoding('latin1');
    socket.on('data', (text: string) => {
      this.received += text;
      this.reads.push(text);
      for (const wake of this.waiters.splice(0)) wake();
    });
  }

  /** Resolves once the bytes received so far contain `text` (`times` times). */
  async sees(text: string, times = 1): Promise<void> {
    while (this.received.split(text).length - 1 < times) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
    }
  }
}
