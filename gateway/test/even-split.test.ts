import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { pickAliasVersion, type AliasRecord } from '@lambdock/core';
import { evenSplit } from '../src/versions/even-split.js';

const ALIAS: AliasRecord = {
  name: 'live',
  functionName: 'f',
  functionVersion: '1',
  description: '',
  additionalVersionWeights: { '2': 0.2 },
  revisionId: 'r',
};

describe('weighted alias draws', () => {
  it('split any run of invocations within three of the weights, from any start', () => {
    for (const start of [0, 0.123, 0.5, 0.999]) {
      const draw = evenSplit(start);
      for (const n of [10, 100, 1000, 5000]) {
        let second = 0;
        for (let i = 0; i < n; i += 1) if (pickAliasVersion(ALIAS, draw) === '2') second += 1;
        assert.ok(Math.abs(second - n * 0.2) <= 3, `${second} of ${n} from ${start}`);
      }
    }
  });

  it('stays in [0, 1)', () => {
    const draw = evenSplit(0.7);
    for (let i = 0; i < 10_000; i += 1) {
      const x = draw();
      assert.ok(x >= 0 && x < 1);
    }
  });
});
