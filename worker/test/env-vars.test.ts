import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildFunctionEnv,
  handlerForImage,
  logStreamName,
  RESERVED_ENV_KEYS,
} from '../src/invoke/env-vars.js';
import { record } from './helpers/records.js';

const asMap = (lines: string[]): Map<string, string> =>
  new Map(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));

const base = {
  runtimeApi: '172.30.0.1:40000',
  region: 'eu-west-1',
  handler: 'index.handler',
  logStreamName: '2026/01/02/[$LATEST]0123456789abcdef0123456789abcdef',
  version: '$LATEST',
};

describe('function environment', () => {
  it('sets the full Lambda set for a zip function', () => {
    const env = asMap(buildFunctionEnv({ ...base, record: record({ name: 'fn', memoryMb: 256 }) }));
    assert.equal(env.get('AWS_LAMBDA_RUNTIME_API'), '172.30.0.1:40000');
    assert.equal(env.get('_HANDLER'), 'index.handler');
    assert.equal(env.get('LAMBDA_TASK_ROOT'), '/var/task');
    assert.equal(env.get('LAMBDA_RUNTIME_DIR'), '/var/runtime');
    assert.equal(env.get('AWS_LAMBDA_FUNCTION_NAME'), 'fn');
    assert.equal(env.get('AWS_LAMBDA_FUNCTION_VERSION'), '$LATEST');
    assert.equal(env.get('AWS_LAMBDA_FUNCTION_MEMORY_SIZE'), '256');
    assert.equal(env.get('AWS_LAMBDA_LOG_GROUP_NAME'), '/aws/lambda/demo');
    assert.equal(env.get('AWS_LAMBDA_LOG_STREAM_NAME'), base.logStreamName);
    assert.equal(env.get('AWS_REGION'), 'eu-west-1');
    assert.equal(env.get('AWS_DEFAULT_REGION'), 'eu-west-1');
    assert.equal(env.get('AWS_EXECUTION_ENV'), 'AWS_Lambda_nodejs20.x');
    assert.equal(env.get('AWS_LAMBDA_INITIALIZATION_TYPE'), 'on-demand');
    assert.equal(env.get('TZ'), ':UTC');
    for (const key of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'])
      assert.ok(env.get(key));
    assert.equal(env.has('PATH'), false, 'PATH comes from the image');
  });

  it('merges user variables without letting them override reserved ones', () => {
    const env = asMap(
      buildFunctionEnv({
        ...base,
        record: record({
          environment: {
            MY_VAR: 'a=b',
            AWS_REGION: 'evil',
            _HANDLER: 'x.y',
            TZ: 'Europe/Paris',
            'BAD-KEY': '1',
          },
        }),
      }),
    );
    assert.equal(env.get('MY_VAR'), 'a=b');
    assert.equal(env.get('AWS_REGION'), 'eu-west-1');
    assert.equal(env.get('_HANDLER'), 'index.handler');
    assert.equal(env.get('TZ'), ':UTC');
    assert.equal(env.has('BAD-KEY'), false);
    assert.ok(RESERVED_ENV_KEYS.has('AWS_LAMBDA_RUNTIME_API'));
  });

  it('has no AWS_EXECUTION_ENV for custom runtimes and images', () => {
    for (const r of [
      record({ runtime: 'provided.al2023' }),
      record({ packageType: 'Image', runtime: undefined }),
    ]) {
      assert.equal(asMap(buildFunctionEnv({ ...base, record: r })).has('AWS_EXECUTION_ENV'), false);
    }
  });

  it('passes the JSON log format and level', () => {
    const r = record({
      loggingConfig: { LogFormat: 'JSON', LogGroup: '/custom/group', ApplicationLogLevel: 'DEBUG' },
    });
    const env = asMap(buildFunctionEnv({ ...base, record: r }));
    assert.equal(env.get('AWS_LAMBDA_LOG_FORMAT'), 'JSON');
    assert.equal(env.get('AWS_LAMBDA_LOG_LEVEL'), 'DEBUG');
    assert.equal(env.get('AWS_LAMBDA_LOG_GROUP_NAME'), '/custom/group');
  });

  it('derives an image handler from the last word of the command', () => {
    assert.equal(handlerForImage(['app.handler'], ['other.handler']), 'app.handler');
    assert.equal(
      handlerForImage(undefined, ['python', '-m', 'awslambdaric', 'app.handler']),
      'app.handler',
    );
    assert.equal(handlerForImage([], []), undefined);
  });

  it('names log streams as CloudWatch does', () => {
    const name = logStreamName(new Date('2026-03-04T05:06:07Z'), '$LATEST');
    assert.match(name, /^2026\/03\/04\/\[\$LATEST\][0-9a-f]{32}$/);
  });
});
