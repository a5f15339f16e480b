import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger, type ProvisionedClaim } from '@lambdock/core';
import {
  createAsyncRouter,
  needsClaim,
  routeFor,
  type AsyncRoute,
  type ProvisionedView,
} from '../src/provisioned/async-route.js';
import { record } from './helpers/records.js';

const ELSEWHERE: ProvisionedClaim = { workerId: 'w2', environmentId: 'e2' };
const MINE: ProvisionedClaim = { workerId: 'w1', environmentId: 'e1' };

describe('where an async attempt runs', () => {
  const cases: Array<[string, ProvisionedView, ProvisionedClaim | undefined, AsyncRoute]> = [
    [
      'not provisioned: here, on demand',
      { targeted: false, idle: false },
      undefined,
      { kind: 'local' },
    ],
    ['idle here: here, no claim', { targeted: true, idle: true }, ELSEWHERE, { kind: 'local' }],
    [
      'idle on another worker: there',
      { targeted: true, idle: false },
      ELSEWHERE,
      { kind: 'remote', claim: ELSEWHERE },
    ],
    [
      'the claim found one of ours: here, on it',
      { targeted: true, idle: false },
      MINE,
      { kind: 'local', environmentId: 'e1' },
    ],
    [
      'idle nowhere: here, on demand (spillover)',
      { targeted: true, idle: false },
      undefined,
      { kind: 'local' },
    ],
  ];
  for (const [name, view, claim, route] of cases) {
    it(name, () => assert.deepEqual(routeFor(view, claim, 'w1'), route));
  }

  it('claims only for a provisioned version with nothing idle here', () => {
    assert.equal(needsClaim({ targeted: true, idle: false }), true);
    assert.equal(needsClaim({ targeted: true, idle: true }), false);
    assert.equal(needsClaim({ targeted: false, idle: false }), false);
  });
});

describe('createAsyncRouter', () => {
  function router(view: ProvisionedView, claim: () => Promise<ProvisionedClaim | undefined>) {
    const claimed: string[] = [];
    const route = createAsyncRouter({
      pool: { provisionedHere: () => view },
      offers: {
        claim: async (key) => {
          claimed.push(key);
          return claim();
        },
      },
      workerId: 'w1',
      logger: createSilentLogger(),
    });
    return { route, claimed };
  }
  const v3 = record({ version: '3' });

  it('claims an idle environment of the resolved version elsewhere', async () => {
    const r = router({ targeted: true, idle: false }, async () => ELSEWHERE);
    assert.deepEqual(await r.route(v3, '3'), { kind: 'remote', claim: ELSEWHERE });
    assert.deepEqual(r.claimed, ['demo:3']);
  });

  it('costs no Redis call when it can run here', async () => {
    const r = router({ targeted: true, idle: true }, async () => ELSEWHERE);
    assert.deepEqual(await r.route(v3, '3'), { kind: 'local' });
    assert.deepEqual(r.claimed, []);
  });

  it('runs here when the claim fails (Redis away)', async () => {
    const r = router({ targeted: true, idle: false }, async () => {
      throw new Error('connection lost');
    });
    assert.deepEqual(await r.route(v3, '3'), { kind: 'local' });
  });
});
