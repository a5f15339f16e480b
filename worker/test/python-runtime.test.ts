import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { ExecutionEnvironment } from '../src/invoke/environment.js';
import type { Invocation } from '../src/runtime-api/invocation-slot.js';
import { json } from './helpers/http.js';
import {
  codeDir,
  lateOutputs,
  pythonEnvironment,
  type ProcessOptions,
} from './helpers/node-runtime.js';

const ARN = 'arn:aws:lambda:us-east-1:000000000000:function:demo';
const TRACE = 'Root=1-6553f100-000102030405060708090a0b;Parent=0c0d0e0f10111213;Sampled=0';

const inv = (requestId: string, event: unknown, extra: Partial<Invocation> = {}): Invocation => ({
  requestId,
  payload: Buffer.from(JSON.stringify(event)),
  invokedFunctionArn: ARN,
  timeoutMs: 5000,
  traceId: TRACE,
  ...extra,
});

async function withPython(
  source: string,
  run: (env: ExecutionEnvironment) => Promise<void>,
  handler = 'app.handler',
  options: ProcessOptions = {},
): Promise<void> {
  const dir = codeDir('');
  writeFileSync(join(dir, 'app.py'), source);
  const env = await pythonEnvironment(dir, handler, options);
  try {
    await run(env);
  } finally {
    await env.destroy();
  }
}

describe('python runtime against the Runtime API', { timeout: 60_000 }, () => {
  it('serves many events in a row on one connection, each with its own context and trace id', async () => {
    const source = [
      'import os',
      'def handler(event, context):',
      '    return {',
      '        "n": event["n"],',
      '        "id": context.aws_request_id,',
      '        "arn": context.invoked_function_arn,',
      '        "name": context.function_name,',
      '        "memory": context.memory_limit_in_mb,',
      '        "left": context.get_remaining_time_in_millis(),',
      '        "trace": os.environ.get("_X_AMZN_TRACE_ID"),',
      '    }',
      '',
    ].join('\n');
    await withPython(source, async (env) => {
      for (let n = 0; n < 30; n++) {
        const trace = `${TRACE.slice(0, -1)}${n % 2}`;
        const result = await env.invoke(inv(`req-${n}`, { n }, { traceId: trace }));
        assert.equal(result.outcome, 'success', result.payload.toString());
        const body = json(result.payload);
        assert.ok(
          typeof body.left === 'number' && body.left > 0 && body.left <= 5000,
          `left ${String(body.left)}`,
        );
        assert.deepEqual(
          { ...body, left: undefined },
          { n, id: `req-${n}`, arn: ARN, name: 'demo', memory: '128', left: undefined, trace },
        );
      }
    });
  });

  it('reports a handler error with its type, message and trace, and stays warm', async () => {
    const source = [
      'def handler(event, context):',
      '    if event.get("fail"):',
      '        raise ValueError("bad input")',
      '    return "ok"',
      '',
    ].join('\n');
    await withPython(source, async (env) => {
      const failed = await env.invoke(inv('e1', { fail: true }));
      assert.equal(failed.outcome, 'function-error');
      assert.equal(failed.errorType, 'ValueError');
      const body = json(failed.payload);
      assert.deepEqual(
        [body.errorType, body.errorMessage, body.requestId],
        ['ValueError', 'bad input', 'e1'],
      );
      assert.ok(
        Array.isArray(body.stackTrace) && String(body.stackTrace.at(-1)).includes('bad input'),
        JSON.stringify(body.stackTrace),
      );
      assert.equal(failed.reusable, true);
      const next = await env.invoke(inv('e2', {}));
      assert.deepEqual([next.outcome, next.payload.toString()], ['success', '"ok"']);
    });
  });

  it("keeps all of an invocation's output in its log, however late it arrives", async () => {
    const source = [
      'import logging, sys',
      'def handler(event, context):',
      '    print("printed", event["n"])',
      '    sys.stderr.write("to stderr \\u00e9\\n")',
      '    logging.getLogger().warning("logged")',
      '    if event.get("fail"):',
      '        raise ValueError("bad")',
      '    return "ok"',
      '',
    ].join('\n');
    // Far past the quiet period (5 ms) and the settle limit (50 ms) of these environments.
    await withPython(
      source,
      async (env) => {
        const outputs = await lateOutputs(env, inv);
        for (const [i, output] of outputs.entries()) {
          assert.match(output, new RegExp(`printed ${i + 1}\\n`));
          assert.match(output, /to stderr \u00e9\n/);
          assert.match(output, /logged/);
        }
        assert.match(outputs[1], /bad/);
      },
      'app.handler',
      { outputDelayMs: 300 },
    );
  });

  it('reports a missing handler as an init error', async () => {
    await withPython(
      'def other(event, context):\n    return 1\n',
      async (env) => {
        const result = await env.invoke(inv('init', {}));
        assert.equal(result.errorKind, 'init');
        const body = json(result.payload);
        assert.deepEqual(
          [body.errorType, body.errorMessage],
          ['Runtime.HandlerNotFound', "Handler 'handler' missing on module 'app'"],
        );
      },
      'app.handler',
    );
  });
});
