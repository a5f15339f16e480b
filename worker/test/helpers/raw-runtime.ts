import type { Socket } from 'node:net';

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
