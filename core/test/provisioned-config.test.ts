import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CAPACITY_REASON,
  progressFor,
  provisionedView,
  type ProvisionedConfig,
} from '../src/index.js';

const CONFIG: ProvisionedConfig = {
  functionName: 'demo',
  qualifier: 'live',
  requested: 2,
  lastModified: '2026-01-02T03:04:05.000+0000',
};

describe('provisionedView', () => {
  const cases = [
    {
      what: 'no progress yet: IN_PROGRESS, nothing allocated',
      progress: undefined,
      expected: { status: 'IN_PROGRESS', allocated: 0 },
    },
    {
      what: 'progress for this count: as reported',
      progress: { requested: 2, allocated: 2, status: 'READY' as const },
      expected: { status: 'READY', allocated: 2 },
    },
    {
      what: 'progress for an older count: IN_PROGRESS',
      progress: { requested: 1, allocated: 1, status: 'READY' as const },
      expected: { status: 'IN_PROGRESS', allocated: 0 },
    },
  ];
  for (const c of cases) {
    it(c.what, () => {
      assert.deepEqual(provisionedView(CONFIG, c.progress), {
        RequestedProvisionedConcurrentExecutions: 2,
        AvailableProvisionedConcurrentExecutions: c.expected.allocated,
        AllocatedProvisionedConcurrentExecutions: c.expected.allocated,
        Status: c.expected.status,
        LastModified: CONFIG.lastModified,
      });
    });
  }

  it('carries the reason of a failure', () => {
    const progress = progressFor(2, 0, 'FUNCTION_ERROR_INIT_FAILURE');
    assert.deepEqual(provisionedView(CONFIG, progress), {
      RequestedProvisionedConcurrentExecutions: 2,
      AvailableProvisionedConcurrentExecutions: 0,
      AllocatedProvisionedConcurrentExecutions: 0,
      Status: 'FAILED',
      StatusReason: 'FUNCTION_ERROR_INIT_FAILURE',
      LastModified: CONFIG.lastModified,
    });
  });
});

describe('progressFor', () => {
  const cases: Array<[number, number, string | undefined, unknown]> = [
    [2, 2, undefined, { requested: 2, allocated: 2, status: 'READY' }],
    [2, 1, undefined, { requested: 2, allocated: 1, status: 'IN_PROGRESS' }],
    [2, 1, 'X', { requested: 2, allocated: 1, status: 'IN_PROGRESS' }],
    [2, 0, 'X', { requested: 2, allocated: 0, status: 'FAILED', reason: 'X' }],
    [
      3,
      2,
      CAPACITY_REASON,
      { requested: 3, allocated: 2, status: 'FAILED', reason: CAPACITY_REASON },
    ],
    [3, 3, CAPACITY_REASON, { requested: 3, allocated: 3, status: 'READY' }],
  ];
  for (const [requested, allocated, failure, expected] of cases) {
    it(`${allocated} of ${requested}, failure ${String(failure)}`, () => {
      assert.deepEqual(progressFor(requested, allocated, failure), expected);
    });
  }
});
