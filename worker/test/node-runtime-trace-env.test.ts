import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RUNTIME_DIR } from './helpers/node-runtime.js';

type Env = Record<string, string | undefined>;
interface TraceEnvModule {
  traceEnv(real: Env): Env;
  PLAIN_ENV: symbol;
}
interface InvokeContextModule {
  attachInvokeContext(
    base: object,
    headers: Record<string, string>,
    env: Env,
  ): { functionName?: string; functionVersion?: string; awsRequestId?: string };
}

const load = async (): Promise<TraceEnvModule> =>
  (await import(join(RUNTIME_DIR, 'trace-env.mjs'))) as TraceEnvModule;
const loadContext = async (): Promise<InvokeContextModule> =>
  (await import(join(RUNTIME_DIR, 'invoke-context.mjs'))) as InvokeContextModule;

describe('node runtime trace id overlay', () => {
  it('keeps _X_AMZN_TRACE_ID out of the real environment and everything else in it', async () => {
    const { traceEnv } = await load();
    const real: Env = { PATH: '/bin', _X_AMZN_TRACE_ID: 'from-start' };
    const env = traceEnv(real);
    assert.deepEqual(real, { PATH: '/bin' });
    assert.equal(env._X_AMZN_TRACE_ID, 'from-start');

    env._X_AMZN_TRACE_ID = 'Root=1-a';
    env.OTHER = 'x';
    assert.deepEqual(real, { PATH: '/bin', OTHER: 'x' });
    assert.deepEqual({ ...env }, { PATH: '/bin', OTHER: 'x', _X_AMZN_TRACE_ID: 'Root=1-a' });
    assert.equal('_X_AMZN_TRACE_ID' in env, true);
    assert.deepEqual(Object.getOwnPropertyDescriptor(env, '_X_AMZN_TRACE_ID'), {
      value: 'Root=1-a',
      writable: true,
      enumerable: true,
      configurable: true,
    });
    assert.equal(JSON.stringify(env), '{"PATH":"/bin","OTHER":"x","_X_AMZN_TRACE_ID":"Root=1-a"}');

    delete env._X_AMZN_TRACE_ID;
    delete env.OTHER;
    assert.equal(env._X_AMZN_TRACE_ID, undefined);
    assert.equal('_X_AMZN_TRACE_ID' in env, false);
    assert.deepEqual(Object.keys(env), ['PATH']);
    assert.deepEqual(real, { PATH: '/bin' });
  });

  it('stores values as strings, like process.env', async () => {
    const { traceEnv } = await load();
    const env = traceEnv({});
    Object.assign(env, { _X_AMZN_TRACE_ID: 42 });
    assert.equal(env._X_AMZN_TRACE_ID, '42');
  });

  it('builds each context from the environment as it is then, the trace id in the overlay', async () => {
    const { traceEnv, PLAIN_ENV } = await load();
    const { attachInvokeContext } = await loadContext();
    const real: Env = { AWS_LAMBDA_FUNCTION_NAME: 'f', AWS_LAMBDA_FUNCTION_VERSION: '$LATEST' };
    const env = traceEnv(real);
    assert.equal((env as Record<symbol, unknown>)[PLAIN_ENV], real);
    const headers = {
      'lambda-runtime-aws-request-id': 'r1',
      'lambda-runtime-deadline-ms': String(Date.now() + 1000),
      'lambda-runtime-trace-id': 'Root=1-a',
    };
    const first = attachInvokeContext({}, headers, env);
    assert.deepEqual(
      [first.functionName, first.functionVersion, first.awsRequestId],
      ['f', '$LATEST', 'r1'],
    );
    assert.equal(env._X_AMZN_TRACE_ID, 'Root=1-a');
    assert.equal('_X_AMZN_TRACE_ID' in real, false);

    env.AWS_LAMBDA_FUNCTION_NAME = 'renamed-by-the-function';
    const second = attachInvokeContext({}, { ...headers, 'lambda-runtime-trace-id': '' }, env);
    assert.equal(second.functionName, 'renamed-by-the-function');
    assert.equal(env._X_AMZN_TRACE_ID, undefined);
  });
});
