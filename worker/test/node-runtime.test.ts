import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExecutionEnvironment } from '../src/invoke/environment.js';
import type { Invocation } from '../src/runtime-api/invocation-slot.js';
import { json } from './helpers/http.js';
import {
  codeDir,
  lateOutputs,
  nodeEnvironment,
  type ProcessOptions,
} from './helpers/node-runtime.js';

const TRACE = 'Root=1-6553f100-000102030405060708090a0b;Parent=0c0d0e0f10111213;Sampled=0';

const inv = (requestId: string, event: unknown, extra: Partial<Invocation> = {}): Invocation => ({
  requestId,
  payload: Buffer.from(JSON.stringify(event)),
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
  timeoutMs: 5000,
  traceId: TRACE,
  ...extra,
});

async function withEnvironment(
  source: string,
  run: (env: ExecutionEnvironment) => Promise<void>,
  handler?: string,
  options: ProcessOptions = {},
): Promise<void> {
  const env = await nodeEnvironment(codeDir(source), handler, options);
  try {
    await run(env);
  } finally {
    await env.destroy();
  }
}

describe('node runtime against the Runtime API', () => {
  it('serves many events in a row, each with its own context and trace id', async () => {
    const source = `export const handler = async (event, context) => ({
      n: event.n,
      id: context.awsRequestId,
      trace: process.env._X_AMZN_TRACE_ID,
      listed: Object.keys(process.env).includes('_X_AMZN_TRACE_ID'),
      arn: context.invokedFunctionArn,
    });`;
    await withEnvironment(source, async (env) => {
      for (let n = 0; n < 40; n++) {
        const trace = `${TRACE.slice(0, -1)}${n % 2}`;
        const result = await env.invoke(inv(`req-${n}`, { n }, { traceId: trace }));
        assert.equal(result.outcome, 'success');
        assert.deepEqual(json(result.payload), {
          n,
          id: `req-${n}`,
          trace,
          listed: true,
          arn: 'arn:aws:lambda:us-east-1:000000000000:function:demo',
        });
      }
    });
  });

  it('hands the trace id to child processes and parses a 30 KB client context', async () => {
    const source = `import { execFileSync } from 'node:child_process';
      export const handler = async (_event, context) => ({
        child: execFileSync('sh', ['-c', 'printf %s "$_X_AMZN_TRACE_ID"']).toString(),
        custom: context.clientContext.custom.blob.length,
      });`;
    const clientContext = JSON.stringify({ custom: { blob: 'x'.repeat(30_000) } });
    await withEnvironment(source, async (env) => {
      const result = await env.invoke(inv('ctx', {}, { clientContext }));
      assert.deepEqual(json(result.payload), { child: TRACE, custom: 30_000 });
    });
  });

  it('answers null once the event loop empties for a handler that neither returns nor calls back', async () => {
    const source = `export const handler = () => { setTimeout(() => {}, 20); };`;
    await withEnvironment(source, async (env) => {
      const result = await env.invoke(inv('quiet', {}));
      assert.deepEqual([result.outcome, result.payload.toString()], ['success', 'null']);
      const again = await env.invoke(inv('quiet-2', {}));
      assert.equal(again.payload.toString(), 'null');
    });
  });

  it('posts a response bigger than one write intact', async () => {
    const source = `export const handler = async (event) => 'y'.repeat(event.size);`;
    await withEnvironment(source, async (env) => {
      const result = await env.invoke(inv('big', { size: 1_000_000 }));
      assert.equal(result.payload.toString(), JSON.stringify('y'.repeat(1_000_000)));
    });
  });

  it('streams a response through the lazily loaded http client', async () => {
    const source = `export const handler = awslambda.streamifyResponse(async (event, stream) => {
      stream.write('part one, ');
      await new Promise((resolve) => setTimeout(resolve, 5));
      stream.end('part two');
    });`;
    await withEnvironment(source, async (env) => {
      for (const id of ['s1', 's2']) {
        const result = await env.invoke(inv(id, {}));
        assert.deepEqual(
          [result.outcome, result.payload.toString()],
          ['success', 'part one, part two'],
        );
      }
    });
  });

  it('reports a handler error with its type, message and trace, and stays warm', async () => {
    const source = `export const handler = async (event) => {
      if (event.fail) throw new TypeError('bad input');
      return 'ok';
    };`;
    await withEnvironment(source, async (env) => {
      const failed = await env.invoke(inv('e1', { fail: true }));
      assert.equal(failed.outcome, 'function-error');
      assert.equal(failed.errorType, 'TypeError');
      const body = json(failed.payload);
      assert.deepEqual([body.errorType, body.errorMessage], ['TypeError', 'bad input']);
      assert.ok(
        Array.isArray(body.trace) && String(body.trace[0]).startsWith('TypeError: bad input'),
      );
      assert.equal(failed.reusable, true);
      const next = await env.invoke(inv('e2', {}));
      assert.equal(next.payload.toString(), '"ok"');
    });
  });

  it("keeps all of an invocation's output in its log, however late it arrives", async () => {
    const source = `export const handler = async (event) => {
      console.log('logged', event.n);
      process.stdout.write('raw \u00e9\\n');
      console.error('to stderr');
      if (event.fail) throw new Error('bad');
      return 'ok';
    };`;
    // Far past the quiet period (5 ms) and the settle limit (50 ms) of these environments.
    await withEnvironment(
      source,
      async (env) => {
        const outputs = await lateOutputs(env, inv);
        for (const [i, output] of outputs.entries()) {
          assert.match(output, new RegExp(`INFO\\tlogged ${i + 1}\\n`));
          assert.match(output, /raw \u00e9\n/);
          assert.match(output, /ERROR\tto stderr/);
        }
        assert.match(outputs[1], /Invoke Error/);
      },
      undefined,
      { outputDelayMs: 300 },
    );
  });

  it('reports a missing handler as an init error', async () => {
    await withEnvironment(
      'export const other = 1;',
      async (env) => {
        const result = await env.invoke(inv('init', {}));
        assert.equal(result.errorKind, 'init');
        assert.deepEqual(
          { ...json(result.payload), trace: undefined },
          {
            errorType: 'Runtime.HandlerNotFound',
            errorMessage: 'index.handler is undefined or not exported',
            trace: undefined,
          },
        );
      },
      'index.handler',
    );
  });
});
