/**
 * Accepted async invocations survive a worker killed with SIGKILL mid-invocation: every
 * request id accepted with 202 runs to completion after a new worker starts (at least once).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { InvokeCommand } from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction } from '../helpers/lambda.js';
import { uniqueName, type Stack } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';

const INVOCATIONS = 24;

async function completedRequestIds(stack: Stack, name: string): Promise<Set<string>> {
  const ids = new Set<string>();
  let after: string | undefined;
  for (;;) {
    const query = new URLSearchParams({ limit: '500', ...(after ? { after } : {}) });
    const res = await fetch(
      `${stack.endpoint}/2015-03-31/functions/${name}/logs?${query.toString()}`,
    );
    const body = (await res.json()) as {
      events: { id: string; message: string }[];
      nextToken?: string;
    };
    for (const event of body.events) {
      for (const match of event.message.matchAll(/REPORT RequestId: ([0-9a-f-]{36})/g))
        ids.add(match[1] ?? '');
    }
    if (!body.nextToken || body.events.length === 0) return ids;
    after = body.nextToken;
  }
}

describe('async durability', () => {
  // Short stall detection so recovery happens within the test's time budget.
  const ctx = useStack([RUNTIME_IMAGES.node], { workerEnv: { WORKER_LOCK_DURATION_MS: '5000' } });

  it('loses no accepted async invocation when the worker is SIGKILLed mid-run', async () => {
    const name = uniqueName('durable');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-overlap',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      timeout: 10,
    });
    const accepted: string[] = [];
    for (let i = 0; i < INVOCATIONS; i++) {
      const out = await ctx.client.send(
        new InvokeCommand({
          FunctionName: name,
          InvocationType: 'Event',
          Payload: Buffer.from('{"sleepMs":400}'),
        }),
      );
      assert.equal(out.StatusCode, 202);
      accepted.push(out.$metadata.requestId ?? '');
    }
    assert.equal(new Set(accepted).size, INVOCATIONS, 'each 202 carries its own request id');
    await sleep(1500);
    await ctx.stack.killWorker('SIGKILL');
    const beforeRestart = await completedRequestIds(ctx.stack, name);
    assert.ok(beforeRestart.size < INVOCATIONS, 'the kill happened while work was pending');
    await ctx.stack.startWorker();
    const deadline = Date.now() + 90_000;
    let done = beforeRestart;
    while (Date.now() < deadline) {
      done = await completedRequestIds(ctx.stack, name);
      if (accepted.every((id) => done.has(id))) break;
      await sleep(500);
    }
    const missing = accepted.filter((id) => !done.has(id));
    assert.deepEqual(missing, [], `${missing.length} accepted invocations never ran`);
  });
});
