/** A test gateway with ACCESS_KEYS served on a real port, and requests signed for it. */
import assert from 'node:assert/strict';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { GatewayDeps } from '../../src/deps.js';
import { send, signRequest, type RawAnswer, type SignOptions } from './signing.js';
import { activeRecord, createTestGateway, reply, seed, type TestGateway } from './test-app.js';

export const KEYS = 'AKIDGOOD:good-secret,AKIDOTHER:other-secret';

const servers: Server[] = [];

/** Close every server `serve` opened (a test file's `after`). */
export function closeServers(): void {
  for (const server of servers.splice(0)) server.close();
}

async function serve(listener: RequestListener): Promise<number> {
  const server = createServer(listener).listen(0, '127.0.0.1');
  servers.push(server);
  await new Promise((resolve) => server.once('listening', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * The Active function `demo` answering `"ok"`, on the full listener and on Express alone;
 * ACCESS_KEYS is KEYS unless `env` says otherwise.
 */
export async function signedGateway(
  env: Record<string, string> = {},
  overrides: Partial<GatewayDeps> = {},
): Promise<{ gw: TestGateway; port: number; expressPort: number }> {
  const gw = createTestGateway({ ACCESS_KEYS: KEYS, ...env }, overrides);
  await seed(gw, activeRecord('demo'));
  gw.queue.worker = (job) => reply({ requestId: job.requestId }, '"ok"');
  return { gw, port: await serve(gw.app), expressPort: await serve(gw.expressApp) };
}

export type SigningFor = Omit<SignOptions, 'host' | 'accessKeyId' | 'secretAccessKey'> &
  Partial<Pick<SignOptions, 'accessKeyId' | 'secretAccessKey'>>;

/** Sign for 127.0.0.1 at `port`, by AKIDGOOD unless told otherwise. */
export function signing(port: number, options: SigningFor): SignOptions {
  return {
    host: `127.0.0.1:${port}`,
    accessKeyId: 'AKIDGOOD',
    secretAccessKey: 'good-secret',
    ...options,
  };
}

/** Sign `options` for `port` and send it as signed. */
export async function signedSend(port: number, options: SigningFor): Promise<RawAnswer> {
  return send(port, await signRequest(signing(port, options)));
}

/** Assert a 403 with `type` and AWS's `{message}` body; the message. */
export function awsError(answer: RawAnswer, type: string): string {
  assert.equal(answer.status, 403, answer.body);
  assert.equal(answer.headers['x-amzn-errortype'], type);
  const body = JSON.parse(answer.body) as { message: string };
  assert.deepEqual(Object.keys(body), ['message']);
  return body.message;
}
