import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitProvisioned } from '../src/index.js';

describe('splitProvisioned', () => {
  const cases: Array<[string, number, Record<string, number>, Array<[string, number]>]> = [
    ['a plain alias keeps it all on its version', 3, {}, [['1', 3]]],
    [
      '80/20 of 5 is 4 + 1',
      5,
      { '2': 0.2 },
      [
        ['1', 4],
        ['2', 1],
      ],
    ],
    [
      '50/50 of 3 rounds to the main version first',
      3,
      { '2': 0.5 },
      [
        ['1', 2],
        ['2', 1],
      ],
    ],
    [
      'the largest remainder wins: 70/30 of 2',
      2,
      { '2': 0.3 },
      [
        ['1', 1],
        ['2', 1],
      ],
    ],
    [
      'a 10% canary of 5 still gets one',
      5,
      { '2': 0.1 },
      [
        ['1', 4],
        ['2', 1],
      ],
    ],
    [
      'a 1% canary of 100 gets its exact share',
      100,
      { '2': 0.01 },
      [
        ['1', 99],
        ['2', 1],
      ],
    ],
    ['1 cannot be shared: the main version keeps it', 1, { '2': 0.4 }, [['1', 1]]],
    ['a weight of 0 gets nothing', 4, { '2': 0 }, [['1', 4]]],
    [
      '29% of 100 survives floating point',
      100,
      { '2': 0.29 },
      [
        ['1', 71],
        ['2', 29],
      ],
    ],
  ];
  for (const [label, requested, weights, expected] of cases) {
    it(label, () => {
      const parts = splitProvisioned(requested, '1', weights);
      assert.deepEqual(
        parts.map((p) => [p.version, p.count]),
        expected,
      );
      assert.equal(
        parts.reduce((sum, p) => sum + p.count, 0),
        requested,
      );
    });
  }
});
