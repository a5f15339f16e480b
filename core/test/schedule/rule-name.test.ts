import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateRuleName } from '../../src/schedule/index.js';

describe('validateRuleName', () => {
  const cases: Array<[string, ReturnType<typeof validateRuleName>]> = [
    ['nightly', { ok: true }],
    ['a', { ok: true }],
    ['My.Rule-1_x', { ok: true }],
    ['x'.repeat(64), { ok: true }],
    ['', { ok: false, message: 'rule name must not be empty' }],
    ['x'.repeat(65), { ok: false, message: 'rule name must be at most 64 characters, got 65' }],
    [
      'a b',
      { ok: false, message: "rule name 'a b' may contain only letters, digits, '.', '-' and '_'" },
    ],
    [
      'a/b',
      { ok: false, message: "rule name 'a/b' may contain only letters, digits, '.', '-' and '_'" },
    ],
    [
      'rule:1',
      {
        ok: false,
        message: "rule name 'rule:1' may contain only letters, digits, '.', '-' and '_'",
      },
    ],
    [
      'é',
      { ok: false, message: "rule name 'é' may contain only letters, digits, '.', '-' and '_'" },
    ],
  ];
  for (const [name, expected] of cases) {
    it(`${JSON.stringify(name.length > 20 ? `${name.slice(0, 5)}…(${name.length})` : name)}`, () => {
      assert.deepEqual(validateRuleName(name), expected);
    });
  }
});
