import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger } from '@lambdock/core';
import { STALLED_REASON, settleStalledEvent } from '../src/async/stalled.js';
import { createMetrics } from '../src/metrics.js';
import { fakeEvents } from './helpers/async-events.js';
import { jobData } from './helpers/jobs.js';
import { record } from './helpers/records.js';

const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';

function setup() {
  const events = fakeEvents();
  const metrics = createMetrics();
  const deps = {
    ...events,
    registry: { get: async () => record({ deadLetterTargetArn: DLQ }) },
    metrics,
    logger: createSilentLogger(),
    now: () => Date.UTC(2026, 0, 1, 0, 1),
  };
  const at = '2026-01-01T00:00:00.000Z';
  events.records.records.set('req-1', {
    RequestId: 'req-1',
    FunctionName: 'demo',
    Qualifier: '$LATEST',
    Status: 'running',
    AcceptedAt: at,
    Attempts: [{ Attempt: 1, StartedAt: at }],
    Destinations: [],
  });
  return { deps, events, metrics };
}

describe('events over the stall limit', () => {
  it('end failed with LDK_ERR_ASYNC_STALLED and go to the dead-letter target', async () => {
    const { deps, events, metrics } = setup();
    assert.equal(await settleStalledEvent(deps, jobData(), STALLED_REASON), true);
    const r = events.records.records.get('req-1');
    assert.deepEqual(
      [r?.Status, r?.Condition, r?.Attempts[0]?.Outcome],
      ['failed', 'RetriesExhausted', 'Interrupted'],
    );
    assert.deepEqual(r?.Error, {
      errorType: 'LDK_ERR_ASYNC_STALLED',
      errorMessage: 'The worker running this event stopped too many times; it was not run again.',
    });
    assert.deepEqual(
      events.sent.map((s) => [s.delivery.Kind, s.delivery.Target]),
      [['DeadLetter', DLQ]],
    );
    assert.match(
      await metrics.registry.metrics(),
      /lambdock_async_events_dropped_total\{function="demo",reason="Stalled",service="worker"\} 1/,
    );
  });

  it('leave other failures alone', async () => {
    const { deps, events } = setup();
    assert.equal(await settleStalledEvent(deps, jobData(), 'LDK_ERR_X: other'), false);
    assert.equal(events.records.records.get('req-1')?.Status, 'running');
  });
});
