import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { codeDir, PYTHON_BOOTSTRAP, RUNTIME_DIR } from './helpers/node-runtime.js';
import { runAgainstRefusingApi, type Exchange } from './helpers/refusing-runtime-api.js';

const API = '/2018-06-01/runtime/invocation';
const FUNCTION_ENV = {
  _HANDLER: 'index.handler',
  AWS_LAMBDA_FUNCTION_NAME: 'demo',
  AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
  AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
};

/** Both runtimes answer the request id: the second answer's body is `"second"`. */
function assertPipelinedWithRetry(exchange: Exchange): void {
  assert.deepEqual(
    exchange.received.map((r) => [r.connection, r.line]),
    [
      [0, `GET ${API}/next HTTP/1.1`],
      [0, `POST ${API}/first/response HTTP/1.1`],
      [1, `GET ${API}/next HTTP/1.1`],
      [1, `POST ${API}/second/response HTTP/1.1`],
      [1, `GET ${API}/next HTTP/1.1`],
    ],
    `the exchange; runtime output:\n${exchange.output}`,
  );
  assert.equal(exchange.received[3]?.body, '"second"');
  for (const id of ['first', 'second']) {
    assert.ok(
      exchange.reads.some(
        (read) => read.startsWith(`POST ${API}/${id}/response`) && read.includes(`GET ${API}/next`),
      ),
      `the answer to ${id} and the /next behind it left in one write`,
    );
  }
}

describe('runtimes pipeline /next behind their answers', { timeout: 40_000 }, () => {
  it('node: one write for the answer and /next; asks again when a refusal closed the connection', async () => {
    const exchange = await runAgainstRefusingApi(
      process.execPath,
      [join(RUNTIME_DIR, 'index.mjs')],
      {
        ...FUNCTION_ENV,
        LAMBDA_TASK_ROOT: codeDir(
          'export const handler = async (event, context) => context.awsRequestId;',
        ),
      },
    );
    assertPipelinedWithRetry(exchange);
    assert.match(exchange.output, /Invocation result was not accepted/);
  });

  it('python: the same, with the refusal logged', async () => {
    const dir = codeDir('');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(
      join(dir, 'index.py'),
      'def handler(event, context):\n    return context.aws_request_id\n',
    );
    const exchange = await runAgainstRefusingApi('python3', ['-u', PYTHON_BOOTSTRAP], {
      ...FUNCTION_ENV,
      LAMBDA_TASK_ROOT: dir,
    });
    assertPipelinedWithRetry(exchange);
    assert.match(exchange.output, /Runtime API \/invocation\/first\/response answered 413/);
  });
});
