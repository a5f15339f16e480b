/**
 * @module
 * `GET /ping`: kept by AWS's emulator for old runtime clients; harmless to answer.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function handlePing(_ctx: unknown, req: IncomingMessage, res: ServerResponse): void {
  req.resume();
  res.writeHead(200, { 'Content-Type': 'text/plain', 'Content-Length': '4' });
  res.end('pong');
}
