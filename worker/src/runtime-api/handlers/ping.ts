/**
 * @module
 * `GET /ping`: kept by AWS's emulator for old runtime clients; harmless to answer.
 */
import type { RuntimeReply, RuntimeRequest } from '../wire/exchange.js';

const PONG = Buffer.from('pong');

export function handlePing(_ctx: unknown, _request: RuntimeRequest, reply: RuntimeReply): void {
  reply.send(200, { 'Content-Type': 'text/plain' }, PONG);
}
