/**
 * Async invokes and provisioned concurrency with two workers on one Redis, as Lambda runs them
 * (its poller invokes synchronously, so provisioned environments serve events first): with one
 * provisioned environment, held by one worker, every event runs on it whichever worker takes the
 * event from the shared queue (no Init Duration, the provisioned counter summed over both
 * workers grows by exactly the number of events, no spillover, one terminal `succeeded` record
 * and one START/END/REPORT per request id); an always-throwing function run that way with
 * MaximumRetryAttempts 1 runs exactly twice and reaches its OnFailure destination; and when the
 * worker holding the environment stops answering, the attempt sent there ends as a platform
 * error (no retry spent), the event runs once later, and no lease, claim or queued job is left.
 */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CreateAliasCommand,
  InvokeCommand,
  PublishVersionCommand,
  PutFunctionEventInvokeConfigCommand,
  type LambdaClient,
} from '@aws-sdk/client-lambda';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import {
  ConcurrencyLeases,
  createKeys,
  directInvokeQueue,
  provisionedKeys,
  type InvocationRecord,
  type QueueMessage,
} from '@lambdock/core';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { readInvocation, waitForTerminal } from '../helpers/invocation-records.js';
import { createZipFunction } from '../helpers/lambda.js';
import {
  containersPerWorker,
  metricSum,
  putProvisionedReady,
  scrape,
} from '../helpers/provisioned.js';
import { uniqueName, type Stack, type WorkerProcess } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

const ACCOUNT = '000000000000';
const EVENTS = 10;
const BASE_DELAY_MS = 200;
/** Events sent at most until the other worker takes one (bounded). */
const PICKUP_TRIES = 20;
const IDLE_BETWEEN_MS = 300;

/** A function with version 1 behind the alias `live`, provisioned with 1 environment. */
async function provisionedFunction(client: LambdaClient, fixture: string): Promise<string> {
  const name = uniqueName('pca');
  await createZipFunction(client, {
    name,
    fixture,
    runtime: 'nodejs20.x',
    handler: 'index.handler',
  });
  const published = await client.send(new PublishVersionCommand({ FunctionName: name }));
  await client.send(
    new CreateAliasCommand({
      FunctionName: name,
      Name: 'live',
      FunctionVersion: published.Version ?? '',
    }),
  );
  await putProvisionedReady(client, name, 'live', 1);
  return name;
}

async function invokeEvent(client: LambdaClient, name: string, payload: unknown): Promise<string> {
  const out = await client.send(
    new InvokeCommand({
      FunctionName: name,
      Qualifier: 'live',
      InvocationType: 'Event',
      Payload: Buffer.from(JSON.stringify(payload)),
    }),
  );
  assert.equal(out.StatusCode, 202);
  assert.ok(out.$metadata.requestId);
  return out.$metadata.requestId;
}

async function terminal(stack: Stack, requestId: string): Promise<InvocationRecord> {
  const reads = await waitForTerminal(stack.endpoint, [requestId], 60_000);
  const record = reads.get(requestId)?.record;
  assert.ok(record, `a record for ${requestId}`);
  return record;
}

/** The REPORT lines stored for the function, by request id. */
async function reports(stack: Stack, name: string): Promise<Map<string, string[]>> {
  const res = await fetch(`${stack.endpoint}/2015-03-31/functions/${name}/logs?limit=1000`);
  const body = (await res.json()) as { events: { message: string }[] };
  const byId = new Map<string, string[]>();
  for (const { message } of body.events) {
    for (const line of message.split('\n')) {
      const id = /^REPORT RequestId: (\S+)/.exec(line)?.[1];
      if (id !== undefined) byId.set(id, [...(byId.get(id) ?? []), line]);
    }
  }
  return byId;
}

interface Counts {
  provisioned: number;
  spillover: number;
  remote: number;
  /** Async pickups per worker (each attempt, from the queue-wait histogram). */
  taken: number[];
}

async function counts(urls: readonly string[], name: string): Promise<Counts> {
  const texts = await scrape(urls);
  const sum = (metric: string): number =>
    texts.reduce((total, t) => total + metricSum(t, metric, { function: name }), 0);
  return {
    provisioned: sum('lambdock_provisioned_concurrency_invocations_total'),
    spillover: sum('lambdock_provisioned_concurrency_spillover_invocations_total'),
    remote: sum('lambdock_provisioned_concurrency_remote_attempts_total'),
    taken: texts.map((t) =>
      metricSum(t, 'lambdock_worker_queue_wait_seconds_count', { queue: 'async' }),
    ),
  };
}

describe('async invokes on provisioned environments across two workers', () => {
  const ctx = useStack([RUNTIME_IMAGES.node], {
    workerEnv: { ASYNC_RETRY_BASE_DELAY_MS: String(BASE_DELAY_MS) },
  });
  let second: WorkerProcess;
  let urls: string[];

  before(async () => {
    second = await ctx.stack.startExtraWorker('w2');
    urls = [ctx.stack.workerPort, second.port].map((p) => `http://127.0.0.1:${p}/metrics`);
  });

  it(`runs ${EVENTS} events on the one provisioned environment, whichever worker takes them`, async () => {
    const { client, docker, stack } = ctx;
    const name = await provisionedFunction(client, 'node-echo');
    const holders = await containersPerWorker(docker, name);
    assert.equal(Object.keys(holders).length, 1, `one worker holds it: ${JSON.stringify(holders)}`);
    const holder = [`${stack.prefix}-w`, second.id].indexOf(Object.keys(holders)[0] ?? '');

    const before = await counts(urls, name);
    const ids: string[] = [];
    const started = Date.now();
    // One at a time: each finds the environment idle again.
    for (let i = 0; i < EVENTS; i++) {
      const requestId = await invokeEvent(client, name, { i });
      const record = await terminal(stack, requestId);
      assert.equal(record.Status, 'succeeded', JSON.stringify(record));
      assert.deepEqual(
        record.Attempts.map((a) => a.Outcome),
        ['Success'],
      );
      const result = record.Result as { event: unknown; env: Record<string, unknown> };
      assert.deepEqual(result.event, { i });
      assert.equal(result.env.AWS_LAMBDA_INITIALIZATION_TYPE, 'provisioned-concurrency');
      ids.push(requestId);
    }
    const elapsedMs = Date.now() - started;
    const after = await counts(urls, name);
    assert.equal(after.provisioned - before.provisioned, EVENTS, 'all on the provisioned one');
    assert.equal(after.spillover, before.spillover, 'no spillover');
    const taken = after.taken.map((n, i) => n - (before.taken[i] ?? 0));
    assert.equal(
      taken.reduce((a, b) => a + b, 0),
      EVENTS,
    );
    // Blocked consumers are served in turn, so both workers take events; every one the other
    // worker took went to the holder's environment.
    const byOther = taken[1 - holder] ?? 0;
    assert.ok(byOther > 0, `the other worker took some: ${taken.join(' + ')}`);
    assert.equal(after.remote - before.remote, byOther, 'each of its attempts sent over');

    const logged = await waitFor('every REPORT stored', 10_000, async () => {
      const byId = await reports(stack, name);
      return ids.every((id) => byId.has(id)) ? byId : undefined;
    });
    for (const id of ids) {
      const lines = logged.get(id) ?? [];
      assert.equal(lines.length, 1, `one REPORT for ${id}`);
      assert.doesNotMatch(lines[0] ?? '', /Init Duration/);
    }
    for (const id of ids) {
      const read = await readInvocation(stack.endpoint, id);
      assert.equal(read.record?.Status, 'succeeded', 'still exactly one terminal status');
    }
    process.stderr.write(
      `# provisioned-async: ${EVENTS} events, ${after.provisioned - before.provisioned} on the provisioned environment, taken ${taken.join(' + ')} (workers ${Object.keys(holders).join()} holds it), ${after.remote - before.remote} sent to the other worker, spillover ${after.spillover - before.spillover}, ${Math.round(elapsedMs / EVENTS)} ms per event end to end\n`,
    );
  });

  it('runs an always-throwing function twice with MaximumRetryAttempts 1, then sends it on', async () => {
    const { client, stack } = ctx;
    const name = await provisionedFunction(client, 'node-throws');
    const failures = uniqueName('pca-failures');
    await client.send(
      new PutFunctionEventInvokeConfigCommand({
        FunctionName: name,
        Qualifier: 'live',
        MaximumRetryAttempts: 1,
        DestinationConfig: {
          OnFailure: { Destination: `arn:aws:sqs:us-east-1:${ACCOUNT}:${failures}` },
        },
      }),
    );
    const before = await counts(urls, name);
    const requestId = await invokeEvent(client, name, { n: 1 });
    const record = await terminal(stack, requestId);
    assert.deepEqual([record.Status, record.Condition], ['failed', 'RetriesExhausted']);
    assert.deepEqual(
      record.Attempts.map((a) => [a.Attempt, a.Outcome, a.ErrorType]),
      [
        [1, 'FunctionError', 'MyError'],
        [2, 'FunctionError', 'MyError'],
      ],
    );
    const lines = await waitFor('both REPORT lines', 10_000, async () => {
      const found = (await reports(stack, name)).get(requestId) ?? [];
      return found.length >= 2 ? found : undefined;
    });
    assert.equal(lines.length, 2, 'it ran exactly twice');
    assert.ok(
      lines.every((l) => !l.includes('Init Duration')),
      'both on the provisioned one',
    );
    const after = await counts(urls, name);
    assert.equal(after.provisioned - before.provisioned, 2);
    assert.equal(after.spillover, before.spillover);

    const [message] = await waitFor('the OnFailure record', 10_000, async () => {
      const res = await fetch(`${stack.endpoint}/lambdock/v1/queues/${failures}/messages`);
      const body = (await res.json()) as { Messages?: QueueMessage[] };
      return (body.Messages ?? []).length > 0 ? body.Messages : undefined;
    });
    const sent = JSON.parse(message?.Body ?? '{}') as Record<string, Record<string, unknown>>;
    assert.deepEqual(sent.requestContext, {
      requestId,
      functionArn: `arn:aws:lambda:us-east-1:${ACCOUNT}:function:${name}:live`,
      condition: 'RetriesExhausted',
      approximateInvokeCount: 2,
    });
    assert.equal(sent.responsePayload?.errorType, 'MyError');
    process.stderr.write(
      `# provisioned-async: throwing function ran ${lines.length} times on provisioned, ${after.remote - before.remote} attempts sent to the other worker\n`,
    );
  });

  it('ends an attempt the holding worker never takes as a platform error, leaking nothing', async () => {
    const { client, docker, stack, redis } = ctx;
    const name = await provisionedFunction(client, 'node-echo');
    const holderId = Object.keys(await containersPerWorker(docker, name))[0] ?? '';
    const conn = new Redis(redis.url, { maxRetriesPerRequest: 1 });
    const direct = new Queue(directInvokeQueue(holderId), {
      connection: conn,
      prefix: stack.prefix,
    });
    try {
      // The holder stays live and keeps offering its environment, but takes nothing sent to it.
      await direct.pause();
      let found: { requestId: string; record: InvocationRecord } | undefined;
      // Events the holder takes itself run there at once. Redis hands a job to the worker that
      // has been blocked on the queue longest, so with both idle (the pause lets the last taker
      // finish its own follow-up fetch) the other worker soon takes one and sends its attempt
      // to the paused queue.
      for (let i = 0; i < PICKUP_TRIES && found === undefined; i++) {
        await sleep(IDLE_BETWEEN_MS);
        const requestId = await invokeEvent(client, name, { i });
        const first = await waitFor('the first attempt to end', 30_000, async () => {
          const attempt = (await readInvocation(stack.endpoint, requestId)).record?.Attempts[0];
          return attempt?.EndedAt === undefined ? undefined : attempt;
        });
        if (first.Outcome !== 'PlatformError') continue;
        // Before the retry (a second or more later): it must find the queue working again.
        await direct.resume();
        found = { requestId, record: await terminal(stack, requestId) };
      }
      assert.ok(found, 'the other worker took one of the events');
      const { requestId, record } = found;
      assert.equal(record.Status, 'succeeded');
      assert.deepEqual(
        record.Attempts.map((a) => [a.Outcome, a.ErrorType]),
        [
          ['PlatformError', 'LDK_ERR_INVOKE_NO_REPLY'],
          ['Success', undefined],
        ],
      );
      const lines = await waitFor('the REPORT line', 10_000, async () => {
        const got = (await reports(stack, name)).get(requestId) ?? [];
        return got.length > 0 ? got : undefined;
      });
      assert.equal(lines.length, 1, 'it ran once: the withdrawn job never ran late');

      const leases = new ConcurrencyLeases(conn, createKeys(stack.prefix), 1000, 1000);
      assert.equal(await leases.inFlight(name), 0, 'no lease left');
      const queued = await direct.getJobCounts('waiting', 'prioritized', 'delayed');
      assert.equal(
        Object.values(queued).reduce((a, b) => a + b, 0),
        0,
        'no job left on its queue',
      );
      const claims = provisionedKeys(stack.prefix).claims(holderId);
      await waitFor('its claim re-offered', 15_000, async () =>
        (await conn.zcard(claims)) === 0 ? true : undefined,
      );
      const waited =
        Date.parse(record.Attempts[0]?.EndedAt ?? '') -
        Date.parse(record.Attempts[0]?.StartedAt ?? '');
      process.stderr.write(
        `# provisioned-async: unanswered attempt ended as PlatformError after ${waited} ms, retried once with success; no lease, job or claim left\n`,
      );
    } finally {
      await direct.resume().catch(() => undefined);
      await direct.close();
      conn.disconnect();
    }
  });
});
