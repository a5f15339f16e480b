/**
 * A worker whose wall clock is an hour ahead of the gateway's (libfaketime on the worker
 * process: a host whose clock was stepped, or never synchronised): event ages are measured on
 * Redis's clock, so an event with a 60 s maximum age still runs, once, instead of being dropped
 * as an hour old, and its record's times are Redis's, not the worker's.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { InvokeCommand, PutFunctionEventInvokeConfigCommand } from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { waitForTerminal } from '../helpers/invocation-records.js';
import { createZipFunction } from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

const FAKETIME = '/usr/lib/x86_64-linux-gnu/faketime/libfaketime.so.1';
if (!existsSync(FAKETIME)) {
  throw new Error(
    `${FAKETIME} is missing: apt-get install -y faketime (the clock-skew suite needs it)`,
  );
}

describe('a worker whose clock is an hour ahead', () => {
  const ctx = useStack([RUNTIME_IMAGES.node], {
    workerEnv: {
      LD_PRELOAD: FAKETIME,
      FAKETIME: '+1h',
      // Timers and durations stay true: only the wall clock is an hour ahead.
      FAKETIME_DONT_FAKE_MONOTONIC: '1',
      FAKETIME_NO_CACHE: '1',
    },
  });

  it('runs an event with a 60 s maximum age instead of dropping it as an hour old', async () => {
    const { stack, client } = ctx;
    const [workerHour] = await waitFor("the worker's Date header", 10_000, async () => {
      const res = await fetch(`http://127.0.0.1:${stack.workerPort}/healthz`).catch(
        () => undefined,
      );
      return res?.headers.get('date') ? [Date.parse(res.headers.get('date') ?? '')] : undefined;
    });
    // The fault is in place: the worker's own clock is about an hour ahead of this process's.
    assert.ok(
      Math.abs((workerHour ?? 0) - Date.now() - 3_600_000) < 60_000,
      'worker an hour ahead',
    );

    const fn = uniqueName('skewed');
    await createZipFunction(client, {
      name: fn,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    await client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: fn,
        MaximumEventAgeInSeconds: 60,
        MaximumRetryAttempts: 0,
      }),
    );
    const accepted = Date.now();
    const out = await client.send(
      new InvokeCommand({
        FunctionName: fn,
        InvocationType: 'Event',
        Payload: Buffer.from('{"n":1}'),
      }),
    );
    assert.equal(out.StatusCode, 202);
    const requestId = out.$metadata.requestId ?? '';
    const record = (await waitForTerminal(stack.endpoint, [requestId], 60_000)).get(
      requestId,
    )?.record;
    assert.ok(record, `the end of ${requestId}`);
    assert.deepEqual(
      [record.Status, record.Condition, record.Attempts.length],
      ['succeeded', 'Success', 1],
    );
    // Times on Redis's clock: within a minute of this host's, not an hour ahead.
    const started = Date.parse(record.Attempts[0]?.StartedAt ?? '');
    assert.ok(
      Math.abs(started - accepted) < 60_000,
      `attempt started at ${record.Attempts[0]?.StartedAt}`,
    );
  });
});
