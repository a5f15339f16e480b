/**
 * The gateway stopped under load, end to end: SIGTERM lets every request already in flight
 * finish before the process exits; SIGKILL loses nothing that was answered 202 (an event is
 * answered only once Redis holds it), and a restarted gateway serves again. Traffic goes to
 * 127.0.0.1 only, bounded in count and time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { waitForTerminal } from '../helpers/invocation-records.js';
import { createZipFunction, invoke } from '../helpers/lambda.js';
import { uniqueName, type Stack } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

/** One async invoke over plain HTTP: its request id when answered 202, else undefined. */
async function sendEvent(stack: Stack, fn: string, n: number): Promise<string | undefined> {
  try {
    const res = await fetch(`${stack.endpoint}/2015-03-31/functions/${fn}/invocations`, {
      method: 'POST',
      headers: { 'X-Amz-Invocation-Type': 'Event', 'Content-Type': 'application/json' },
      body: JSON.stringify({ n }),
      signal: AbortSignal.timeout(5000),
    });
    await res.arrayBuffer();
    return res.status === 202 ? (res.headers.get('x-amzn-requestid') ?? undefined) : undefined;
  } catch {
    return undefined; // the gateway is down: nothing was promised
  }
}

describe('gateway restarts', () => {
  const ctx = useStack([RUNTIME_IMAGES.node], { gatewayEnv: { DRAIN_TIMEOUT_MS: '20000' } });

  it('finishes the sync invokes in flight on SIGTERM, then serves again once restarted', async () => {
    const { stack } = ctx;
    const fn = uniqueName('drained');
    await createZipFunction(ctx.client, {
      name: fn,
      fixture: 'node-overlap',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      timeout: 10,
    });
    await invoke(ctx.client, fn, {}); // a warm environment for the first of them
    const client = stack.client({ maxAttempts: 1 });
    const calls = Array.from({ length: 4 }, () =>
      client.send(
        new InvokeCommand({ FunctionName: fn, Payload: Buffer.from('{"sleepMs":1500}') }),
      ),
    );
    // SIGTERM only once all four are in the gateway (the /metrics request itself is the fifth).
    await waitFor('four invokes in flight', 10_000, async () => {
      const text = await (await fetch(`${stack.endpoint}/metrics`)).text();
      const inFlight = Number(/^http_requests_in_flight\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
      return inFlight >= 5 ? true : undefined;
    });
    const stopping = stack.killGateway('SIGTERM');
    const results = await Promise.allSettled(calls);
    for (const result of results) {
      assert.equal(result.status, 'fulfilled', String((result as PromiseRejectedResult).reason));
      const out = (
        result as PromiseFulfilledResult<{ StatusCode?: number; FunctionError?: string }>
      ).value;
      assert.deepEqual([out.StatusCode, out.FunctionError], [200, undefined]);
    }
    await stopping;
    assert.equal(stack.gateway.child.exitCode, 0, 'a drained gateway exits 0');
    await stack.startGateway();
    const after = await invoke(ctx.client, fn, {});
    assert.equal(after.output.StatusCode, 200);
  });

  it('keeps every event it answered 202 for when it is SIGKILLed under load', async () => {
    const { stack } = ctx;
    const fn = uniqueName('killed-under');
    await createZipFunction(ctx.client, {
      name: fn,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const accepted: string[] = [];
    let refused = 0;
    // Bounded: at most 3,000 sends in 20 s, whatever happens to the gateway.
    const load = { stop: false, sent: 0, until: Date.now() + 20_000 };
    const sender = async (): Promise<void> => {
      while (!load.stop && load.sent < 3000 && Date.now() < load.until) {
        const id = await sendEvent(stack, fn, load.sent++);
        if (id === undefined) {
          refused += 1;
          await sleep(50);
        } else accepted.push(id);
      }
    };
    const senders = Array.from({ length: 6 }, sender);
    try {
      await waitFor('some events accepted', 10_000, async () =>
        accepted.length >= 30 ? true : undefined,
      );
      await stack.killGateway('SIGKILL');
      const acceptedBeforeKill = accepted.length;
      await sleep(500);
      await stack.startGateway();
      await waitFor('events accepted by the restarted gateway', 15_000, async () =>
        accepted.length >= acceptedBeforeKill + 30 ? true : undefined,
      );
    } finally {
      load.stop = true;
      await Promise.all(senders);
    }
    assert.ok(refused > 0, 'some sends were refused while the gateway was down');
    // Every event answered 202 runs and ends succeeded: none was promised and lost.
    const reads = await waitForTerminal(stack.endpoint, accepted, 120_000);
    const notSucceeded = accepted.filter((id) => reads.get(id)?.record?.Status !== 'succeeded');
    assert.deepEqual(notSucceeded, [], `of ${accepted.length} accepted events`);
    assert.equal(new Set(accepted).size, accepted.length, 'each 202 names its own event');
  });
});
