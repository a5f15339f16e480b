import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { RUNTIME_DIR } from './helpers/node-runtime.js';

type Env = Record<string, string | undefined>;
interface TraceEnvModule {
  traceEnv(real: Env): Env;
}

const load = async (): Promise<TraceEnvModule> =>
  (await import(join(RUNTIME_DIR, 'trace-env.mjs'))) as TraceEnvModule;

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
});
