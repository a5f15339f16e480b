/**
 * The benchmark's reduction of repeated runs: the median run (by a figure of the run) and the
 * spread of the runs; and when a latency loop's warm-up is over.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { medianRun, spreadOf, warmedUp } from '../bench/stats.js';

describe('benchmark runs', () => {
  it('reports the run in the middle, whichever order the runs came in', () => {
    const runs = [{ rps: 1483 }, { rps: 982 }, { rps: 1198 }];
    assert.deepEqual(
      medianRun(runs, (r) => r.rps),
      { rps: 1198 },
    );
    assert.deepEqual(runs, [{ rps: 1483 }, { rps: 982 }, { rps: 1198 }], 'the runs stay in order');
  });

  it('takes the lower middle run of an even count, and the only run of one', () => {
    assert.equal(
      medianRun([4, 1, 3, 2], (n) => n),
      2,
    );
    assert.equal(
      medianRun([7], (n) => n),
      7,
    );
    assert.throws(() => medianRun([], (n: number) => n), /no runs/);
  });

  it('prints the spread as min-max', () => {
    assert.equal(spreadOf([3.43, 2.96, 3.95], 2), '2.96-3.95');
    assert.equal(spreadOf([1483.4, 981.6], 0), '982-1483');
    assert.throws(() => spreadOf([], 0), /no runs/);
  });

  it('warms up until both the request count and the time are reached', () => {
    const warmup = { requests: 200, ms: 10_000 };
    const now = Date.now();
    assert.equal(warmedUp(warmup, 5_000, now - 9_000), false, 'not long enough yet');
    assert.equal(warmedUp(warmup, 150, now - 20_000), false, 'not enough requests yet');
    assert.equal(warmedUp(warmup, 200, now - 10_000), true);
    assert.equal(warmedUp({ requests: 200, ms: 0 }, 200, now), true, 'a count alone');
  });
});
