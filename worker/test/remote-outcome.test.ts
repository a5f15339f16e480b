import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ERRORS, type InvokeResultHeader } from '@lambdock/core';
import type { Execution } from '../src/jobs/execute.js';
import { errorTypeOf, executionFromReply, noReply } from '../src/provisioned/remote-outcome.js';

const ERROR_BODY = Buffer.from('{"errorType":"MyError","errorMessage":"boom","trace":[]}');

function reply(header: Partial<InvokeResultHeader>, payload = Buffer.from('"ok"')) {
  return {
    header: { requestId: 'r1', outcome: 'success' as const, executedVersion: '3', ...header },
    payload,
  };
}

/** What the async processor reads of an Execution. */
function facts(e: Execution) {
  if (e.kind === 'rejected') return { kind: e.kind, version: e.executedVersion, ...e.rejection };
  const { outcome, errorType, contentType } = e.result;
  return {
    kind: e.kind,
    version: e.executedVersion,
    outcome,
    errorType,
    contentType,
    payload: e.result.payload.toString(),
  };
}

describe('a reply from another worker as the attempt outcome', () => {
  const cases: Array<[string, ReturnType<typeof reply>, ReturnType<typeof facts>]> = [
    [
      'success: ran, with the payload and its content type',
      reply({ contentType: 'application/json' }),
      {
        kind: 'ran',
        version: '3',
        outcome: 'success',
        errorType: undefined,
        contentType: 'application/json',
        payload: '"ok"',
      },
    ],
    [
      'function error: ran, with the error type from the header',
      reply({ outcome: 'function-error', errorType: 'Sandbox.Timedout' }, ERROR_BODY),
      {
        kind: 'ran',
        version: '3',
        outcome: 'function-error',
        errorType: 'Sandbox.Timedout',
        contentType: undefined,
        payload: ERROR_BODY.toString(),
      },
    ],
    [
      'function error from a worker that leaves the type out: read from the payload',
      reply({ outcome: 'function-error' }, ERROR_BODY),
      {
        kind: 'ran',
        version: '3',
        outcome: 'function-error',
        errorType: 'MyError',
        contentType: undefined,
        payload: ERROR_BODY.toString(),
      },
    ],
    [
      'rejected: a platform error that may pass',
      reply({
        outcome: 'rejected',
        error: { code: ERRORS.SERVICE_UNAVAILABLE.code, message: 'worker is shutting down' },
      }),
      {
        kind: 'rejected',
        version: '3',
        code: ERRORS.SERVICE_UNAVAILABLE.code,
        message: 'worker is shutting down',
        retryable: true,
      },
    ],
  ];
  for (const [name, input, expected] of cases) {
    it(name, () => assert.deepEqual(facts(executionFromReply(input, '3', 12)), expected));
  }

  it('keeps no log: the worker that ran it stored it', async () => {
    const e = executionFromReply(reply({}), '3', 12);
    assert.equal(e.kind, 'ran');
    if (e.kind === 'ran') assert.equal(await e.result.log, '');
  });

  it('names the version the attempt resolved when the header has none', () => {
    assert.equal(executionFromReply(reply({ executedVersion: '' }), '7', 1).executedVersion, '7');
  });

  it('ends an attempt without a reply as a retryable platform error', () => {
    assert.deepEqual(facts(noReply('w2', 'never took the job', '3')), {
      kind: 'rejected',
      version: '3',
      code: ERRORS.INVOKE_TIMEOUT.code,
      message: 'no reply from worker w2: never took the job',
      retryable: true,
    });
  });

  it('reads error types only from error-shaped JSON', () => {
    assert.equal(errorTypeOf(ERROR_BODY), 'MyError');
    assert.equal(errorTypeOf(Buffer.from('not json')), undefined);
    assert.equal(errorTypeOf(Buffer.from('{"errorType":3}')), undefined);
    assert.equal(errorTypeOf(Buffer.from('null')), undefined);
  });
});
