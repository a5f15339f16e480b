/**
 * End to end with the real AWS SDK against a running stack (gateway + worker processes,
 * real Redis, real Docker): create, wait, invoke (sync, async, dry run), update, throttle,
 * time out, crash and delete, checking each answer against the Lambda contract.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  InvokeCommand,
  ListFunctionsCommand,
  PutFunctionConcurrencyCommand,
  ResourceNotFoundException,
  TooManyRequestsException,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
} from '@aws-sdk/client-lambda';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { createZipFunction, invoke, waitUpdated } from '../helpers/lambda.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { zipFixture } from '../helpers/zip.js';

interface EchoResult {
  event: unknown;
  awsRequestId: string;
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  memoryLimitInMB: string;
  remaining: number;
  clientContext: unknown;
  uid: number;
  env: Record<string, string>;
  userEnv: Record<string, string>;
}

describe('lambda lifecycle through the AWS SDK', () => {
  const ctx = useStack([RUNTIME_IMAGES.node, RUNTIME_IMAGES.python, RUNTIME_IMAGES.provided]);

  it('creates a Node zip function, waits until Active and invokes it with the full context', async () => {
    const name = uniqueName('echo');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      environment: { GREETING: 'hi' },
    });
    const { output, json } = await invoke(
      ctx.client,
      name,
      { a: 1 },
      { clientContext: { custom: { k: 'v' } } },
    );
    assert.equal(output.StatusCode, 200);
    assert.equal(output.FunctionError, undefined);
    assert.equal(output.ExecutedVersion, '$LATEST');
    const result = json as EchoResult;
    assert.deepEqual(result.event, { a: 1 });
    assert.match(result.awsRequestId, /^[0-9a-f-]{36}$/);
    assert.equal(result.functionName, name);
    assert.equal(result.functionVersion, '$LATEST');
    assert.equal(
      result.invokedFunctionArn,
      `arn:aws:lambda:us-east-1:000000000000:function:${name}`,
    );
    assert.equal(result.memoryLimitInMB, '128');
    assert.ok(result.remaining > 0 && result.remaining <= 3000, `remaining ${result.remaining}`);
    assert.deepEqual((result.clientContext as { custom?: unknown } | null)?.custom, { k: 'v' });
    assert.notEqual(result.uid, 0, 'functions never run as root');
    assert.equal(result.userEnv.GREETING, 'hi');
    assert.equal(result.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE, '128');
    assert.match(
      result.env.AWS_LAMBDA_LOG_STREAM_NAME ?? '',
      /^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/,
    );
    assert.equal(result.env.AWS_SECRET_ACCESS_KEY, '<set>');
    assert.equal(result.env.AWS_LAMBDA_FUNCTION_NAME, name);
  });

  it('returns the log tail framed with START, END and REPORT (Init Duration on a cold start)', async () => {
    const name = uniqueName('tail');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const cold = await invoke(ctx.client, name, { n: 1 }, { tail: true });
    const requestId = (cold.json as EchoResult).awsRequestId;
    assert.match(cold.log, new RegExp(`START RequestId: ${requestId} Version: \\$LATEST`));
    assert.match(cold.log, new RegExp(`END RequestId: ${requestId}`));
    assert.match(
      cold.log,
      /REPORT RequestId: \S+\tDuration: \d+\.\d{2} ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB\tInit Duration: \d+\.\d{2} ms/,
    );
    const warm = await invoke(ctx.client, name, { n: 2 }, { tail: true });
    assert.match(warm.log, /REPORT RequestId: /);
    assert.doesNotMatch(warm.log, /Init Duration/);
  });

  it('runs Python and custom-runtime zip functions and a CommonJS callback handler', async () => {
    const cases = [
      { fixture: 'python-echo', runtime: 'python3.11', handler: 'app.handler' },
      { fixture: 'provided-echo', runtime: 'provided.al2023', handler: 'function.handler' },
      { fixture: 'node-cjs-callback', runtime: 'nodejs20.x', handler: 'index.handler' },
    ];
    for (const c of cases) {
      const name = uniqueName(c.fixture);
      await createZipFunction(ctx.client, { name, ...c });
      // Three in a row: the warm ones come through the runtime's pipelined polls.
      for (const n of [1, 2, 3]) {
        const { output, json, text } = await invoke(ctx.client, name, { hello: c.fixture, n });
        assert.equal(output.StatusCode, 200, c.fixture);
        assert.equal(output.FunctionError, undefined, `${c.fixture}: ${text}`);
        assert.ok(JSON.stringify(json).includes(c.fixture), `${c.fixture} echoed: ${text}`);
        assert.ok(JSON.stringify(json).includes('"n":' + String(n)), `${c.fixture} #${n}: ${text}`);
      }
    }
  });

  it('accepts async invocations with 202 and runs them', async () => {
    const name = uniqueName('async');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const out = await ctx.client.send(
      new InvokeCommand({
        FunctionName: name,
        InvocationType: 'Event',
        Payload: Buffer.from('{"async":true}'),
      }),
    );
    assert.equal(out.StatusCode, 202);
    const deadline = Date.now() + 30_000;
    let seen = false;
    while (!seen && Date.now() < deadline) {
      const res = await fetch(`${ctx.stack.endpoint}/2015-03-31/functions/${name}/logs?limit=100`);
      const body = (await res.json()) as { events: { message: string }[] };
      seen = body.events.some((e) => e.message.includes('REPORT RequestId:'));
      if (!seen) await sleep(200);
    }
    assert.ok(seen, 'the async invocation ran and logged a REPORT line');
  });

  it('validates a dry run with 204 and runs nothing', async () => {
    const name = uniqueName('dry');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const out = await ctx.client.send(
      new InvokeCommand({ FunctionName: name, InvocationType: 'DryRun' }),
    );
    assert.equal(out.StatusCode, 204);
    const res = await fetch(`${ctx.stack.endpoint}/2015-03-31/functions/${name}/logs?limit=10`);
    assert.deepEqual(((await res.json()) as { events: unknown[] }).events, []);
  });

  it('applies configuration and code updates to the next invocation', async () => {
    const name = uniqueName('upd');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      environment: { STAGE: 'one' },
    });
    assert.equal(((await invoke(ctx.client, name)).json as EchoResult).userEnv.STAGE, 'one');
    await ctx.client.send(
      new UpdateFunctionConfigurationCommand({
        FunctionName: name,
        Environment: { Variables: { STAGE: 'two' } },
        MemorySize: 256,
      }),
    );
    await waitUpdated(ctx.client, name);
    const after = (await invoke(ctx.client, name)).json as EchoResult;
    assert.equal(after.userEnv.STAGE, 'two');
    assert.equal(after.memoryLimitInMB, '256');
    await ctx.client.send(
      new UpdateFunctionCodeCommand({
        FunctionName: name,
        ZipFile: await zipFixture('node-cjs-callback'),
      }),
    );
    await waitUpdated(ctx.client, name);
    const { text } = await invoke(ctx.client, name, { hello: 'node-cjs-callback' });
    assert.ok(text.includes('node-cjs-callback'), text);
  });

  it('throttles sync invokes over reserved concurrency with 429 and the AWS reason', async () => {
    const name = uniqueName('thr');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    await ctx.client.send(
      new PutFunctionConcurrencyCommand({ FunctionName: name, ReservedConcurrentExecutions: 0 }),
    );
    const got = await ctx.client.send(new GetFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal(got.ReservedConcurrentExecutions, 0);
    const noRetry = ctx.stack.client({ maxAttempts: 1 });
    await assert.rejects(
      noRetry.send(new InvokeCommand({ FunctionName: name, Payload: Buffer.from('{}') })),
      (err: unknown) => {
        assert.ok(err instanceof TooManyRequestsException);
        assert.equal(err.Reason, 'ReservedFunctionConcurrentInvocationLimitExceeded');
        assert.equal(err.$metadata.httpStatusCode, 429);
        return true;
      },
    );
    await ctx.client.send(new DeleteFunctionConcurrencyCommand({ FunctionName: name }));
    assert.equal((await invoke(ctx.client, name)).output.StatusCode, 200);
  });

  it('times out with Sandbox.Timedout and the next invocation works', async () => {
    const name = uniqueName('tmo');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-timeout',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
      timeout: 1,
    });
    const started = Date.now();
    const { output, json } = await invoke(ctx.client, name);
    const elapsed = Date.now() - started;
    assert.equal(output.StatusCode, 200);
    assert.equal(output.FunctionError, 'Unhandled');
    const body = json as { errorType: string; errorMessage: string };
    assert.equal(body.errorType, 'Sandbox.Timedout');
    assert.match(
      body.errorMessage,
      /^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/,
    );
    assert.ok(elapsed < 1000 + 1000 + 1500, `answered in ${elapsed} ms`);
    const again = await invoke(ctx.client, name, { quick: true });
    assert.equal(
      again.output.FunctionError,
      'Unhandled',
      'still times out, but a fresh environment answers',
    );
  });

  it('reports handler errors, crashes, init errors and oversize responses the way Lambda does', async () => {
    const cases: { fixture: string; handler: string; errorType: string | RegExp }[] = [
      { fixture: 'node-throws', handler: 'index.handler', errorType: /Error$/ },
      { fixture: 'node-exit', handler: 'index.handler', errorType: 'Runtime.ExitError' },
      {
        fixture: 'node-bad-handler',
        handler: 'index.handler',
        errorType: 'Runtime.HandlerNotFound',
      },
      {
        fixture: 'node-big-response',
        handler: 'index.handler',
        errorType: 'Function.ResponseSizeTooLarge',
      },
    ];
    for (const c of cases) {
      const name = uniqueName(c.fixture);
      await createZipFunction(ctx.client, {
        name,
        fixture: c.fixture,
        runtime: 'nodejs20.x',
        handler: c.handler,
      });
      const { output, json, text } = await invoke(ctx.client, name);
      assert.equal(output.StatusCode, 200, c.fixture);
      assert.equal(output.FunctionError, 'Unhandled', `${c.fixture}: ${text.slice(0, 200)}`);
      const errorType = (json as { errorType?: string }).errorType ?? '';
      if (typeof c.errorType === 'string') assert.equal(errorType, c.errorType, c.fixture);
      else assert.match(errorType, c.errorType, c.fixture);
    }
  });

  it('never reuses a warm environment of a deleted function for a new one of the same name', async () => {
    const name = uniqueName('reborn');
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    assert.ok((await invoke(ctx.client, name, { hello: 'first' })).text.includes('awsRequestId'));
    await ctx.client.send(new DeleteFunctionCommand({ FunctionName: name }));
    await createZipFunction(ctx.client, {
      name,
      fixture: 'node-cjs-callback',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const { text } = await invoke(ctx.client, name, { hello: 'node-cjs-callback' });
    assert.ok(
      !text.includes('awsRequestId') && text.includes('node-cjs-callback'),
      `new code ran: ${text}`,
    );
  });

  it('lists functions with paging and deletes them', async () => {
    const names = [uniqueName('list'), uniqueName('list'), uniqueName('list')];
    for (const name of names) {
      await createZipFunction(ctx.client, {
        name,
        fixture: 'node-echo',
        runtime: 'nodejs20.x',
        handler: 'index.handler',
      });
    }
    const seen: string[] = [];
    let marker: string | undefined;
    do {
      const page = await ctx.client.send(new ListFunctionsCommand({ MaxItems: 2, Marker: marker }));
      assert.ok((page.Functions ?? []).length <= 2);
      seen.push(...(page.Functions ?? []).map((f) => f.FunctionName ?? ''));
      marker = page.NextMarker;
    } while (marker);
    for (const name of names) assert.ok(seen.includes(name), `${name} listed`);
    for (const name of names)
      await ctx.client.send(new DeleteFunctionCommand({ FunctionName: name }));
    await assert.rejects(
      ctx.client.send(new GetFunctionCommand({ FunctionName: names[0] })),
      ResourceNotFoundException,
    );
    await assert.rejects(
      ctx.client.send(new InvokeCommand({ FunctionName: names[0], Payload: Buffer.from('{}') })),
      ResourceNotFoundException,
    );
  });
});
