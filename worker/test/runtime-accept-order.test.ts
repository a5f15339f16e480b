import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { createLogger } from '@lambdock/core';
import { handleInvocationError } from '../src/runtime-api/handlers/invocation-error.js';
import { handleResponse } from '../src/runtime-api/handlers/response.js';
import { createInvocationSlot } from '../src/runtime-api/invocation-slot.js';
import type { HandlerContext } from '../src/runtime-api/router.js';
import type { RuntimeReply, RuntimeRequest } from '../src/runtime-api/wire/exchange.js';

/** A runtime's POST: headers and a body. */
function post(body: string, headers: Record<string, string> = {}): RuntimeRequest {
  return {
    method: 'POST',
    path: '/',
    headers: { 'content-length': String(Buffer.byteLength(body)), ...headers },
    readBody: () => Promise.resolve({ kind: 'ok', body: Buffer.from(body), trailers: {} }),
  };
}

/** A reply that notes when its status goes out. */
function recordingReply(order: string[]): RuntimeReply {
  let settled = false;
  return {
    get settled() {
      return settled;
    },
    send(status) {
      order.push(`runtime gets ${status}`);
      settled = true;
    },
    onGone: () => undefined,
  };
}

/** An invocation in flight on a slot, with a reply step chained a few promise callbacks deep. */
function inFlight(order: string[]): HandlerContext {
  const slot = createInvocationSlot();
  const delivered = slot.submit({
    requestId: 'r1',
    payload: Buffer.from('{}'),
    invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:f',
    timeoutMs: 3000,
  });
  slot.next(() => true);
  void delivered
    .then((outcome) => outcome)
    .then((outcome) => Promise.resolve(outcome))
    .then((outcome) => order.push(`reply sent (${outcome.kind})`));
  return {
    slot,
    responseLimitBytes: 6 * 1024 * 1024,
    streamLimitBytes: 20 * 1024 * 1024,
    logger: createLogger({ level: 'fatal', service: 'test' }),
  };
}

describe('the runtime answer and its 202', () => {
  it('lets the reply leave before the 202 goes into the container', async () => {
    const order: string[] = [];
    await handleResponse(inFlight(order), post('"ok"'), recordingReply(order), 'r1');
    await nextTurn();
    assert.deepEqual(order, ['reply sent (response)', 'runtime gets 202']);
  });

  it('does the same for a function error', async () => {
    const order: string[] = [];
    const req = post('{"errorType":"E","errorMessage":"m"}', {
      'lambda-runtime-function-error-type': 'E',
    });
    await handleInvocationError(inFlight(order), req, recordingReply(order), 'r1');
    await nextTurn();
    assert.deepEqual(order, ['reply sent (function-error)', 'runtime gets 202']);
  });
});
