import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../src/errors.js';
import { boolVar, enumVar, intVar, loadEnv, stringVar, urlVar } from '../src/config/env-schema.js';

const schema = {
  port: intVar('PORT_X', 'a port', { default: 80, min: 0, max: 65535 }),
  name: stringVar('NAME_X', 'a name', { pattern: /^[a-z]+$/ }),
  flag: boolVar('FLAG_X', 'a flag', false),
  mode: enumVar('MODE_X', 'a mode', ['a', 'b'] as const, 'a'),
  url: urlVar('URL_X', 'a url', 'redis://localhost:6379', ['redis:']),
};

describe('loadEnv', () => {
  const table: { env: Record<string, string>; expect: Record<string, unknown> }[] = [
    { env: { NAME_X: 'abc' }, expect: { port: 80, name: 'abc', flag: false, mode: 'a' } },
    {
      env: { NAME_X: 'abc', PORT_X: '8080', FLAG_X: 'yes', MODE_X: 'b' },
      expect: { port: 8080, flag: true, mode: 'b' },
    },
  ];
  for (const { env, expect } of table) {
    it(`reads ${JSON.stringify(env)}`, () => {
      const config = loadEnv(schema, env);
      for (const [key, value] of Object.entries(expect))
        assert.equal(config[key as keyof typeof config], value);
    });
  }

  it('collects every problem into one ConfigError', () => {
    assert.throws(
      () => loadEnv(schema, { PORT_X: '70000', FLAG_X: 'maybe', MODE_X: 'c', URL_X: 'http://x' }),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.equal(err.problems.length, 5);
        assert.match(err.message, /PORT_X must be between 0 and 65535/);
        assert.match(err.message, /NAME_X is required/);
        return true;
      },
    );
  });

  it('refuses a declaration whose default breaks its own range', () => {
    assert.throws(
      () => intVar('X_MS', 'x', { default: 930_000, min: 0, max: 900_000 }),
      RangeError,
    );
  });

  it('returns a deep-frozen object', () => {
    const config = loadEnv(schema, { NAME_X: 'abc' });
    assert.ok(Object.isFrozen(config));
  });
});
