import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createSilentLogger, type InvocationRecord } from '@lambdock/core';
import { EventEmitter } from 'node:events';
import { UnrecoverableError, type Worker } from 'bullmq';
import {
  STALLED_REASON,
  settleFailedEvent,
  settleWithRetries,
  watchFailedEvents,
} from '../src/async/failed-events.js';
import { createMetrics } from '../src/metrics.js';
import { fakeEvents } from './helpers/async-events.js';
import { jobData } from './helpers/jobs.js';
import { record } from './helpers/records.js';

const DLQ = 'arn:aws:sqs:us-east-1:000000000000:dlq';
const AT = '2026-01-01T00:00:00.000Z';

function running(): InvocationRecord {
  return {
    RequestId: 'req-1',
    FunctionName: 'demo',
    Qualifier: '$LATEST',
    Status: 'running',
    AcceptedAt: AT,
    Attempts: [{ Attempt: 1, StartedAt: AT }],
    Destinations: [],
  };
}

/** `null`: no record yet. */
function setup(stored: InvocationRecord | null = running()) {
  const events = fakeEvents();
  const metrics = createMetrics();
  const deps = {
    ...events,
    registry: { get: async () => record({ deadLetterTargetArn: DLQ }) },
    metrics,
    logger: createSilentLogger(),
    now: () => Date.UTC(2026, 0, 1, 0, 1),
  };
  if (stored !== null) events.records.records.set('req-1', stored);
  return { deps, events, metrics };
}

const dropped = (reason: string) =>
  new RegExp(
    `lambdock_async_events_dropped_total\\{function="demo",reason="${reason}",service="worker"\\} 1`,
  );

describe('events over the stall limit', () => {
  it('end failed with LDK_ERR_ASYNC_STALLED and go to the dead-letter target', async () => {
    const { deps, events, metrics } = setup();
    assert.equal(await settleFailedEvent(deps, { data: jobData() }, STALLED_REASON), true);
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
    assert.match(await metrics.registry.metrics(), dropped('Stalled'));
  });
});

describe('events whose handling failed', () => {
  it('leave a failure BullMQ will try again alone', async () => {
    const { deps, events } = setup();
    const settled = await settleFailedEvent(deps, { data: jobData() }, 'Connection is closed.');
    assert.equal(settled, false);
    assert.equal(events.records.records.get('req-1')?.Status, 'running');
    assert.deepEqual(events.sent, []);
  });

  it('end failed with LDK_ERR_ASYNC_FAILED after the last attempt, and go to the dead-letter target', async () => {
    const { deps, events, metrics } = setup();
    const job = { data: jobData(), finishedOn: Date.UTC(2026, 0, 1, 0, 1) };
    assert.equal(await settleFailedEvent(deps, job, 'OOM command not allowed'), true);
    const r = events.records.records.get('req-1');
    assert.deepEqual(
      [r?.Status, r?.Condition, r?.Attempts[0]?.Outcome, r?.Attempts[0]?.ErrorType],
      ['failed', 'RetriesExhausted', 'PlatformError', 'LDK_ERR_ASYNC_FAILED'],
    );
    assert.deepEqual(r?.Error, {
      errorType: 'LDK_ERR_ASYNC_FAILED',
      errorMessage: 'The platform failed while handling this event; it was not tried again.',
    });
    assert.deepEqual(
      events.sent.map((s) => [s.delivery.Kind, s.delivery.Target]),
      [['DeadLetter', DLQ]],
    );
    assert.match(await metrics.registry.metrics(), dropped('PlatformError'));
  });

  it('open the record of an event that failed before any worker opened it, then end it', async () => {
    const { deps, events } = setup(null);
    const job = { data: jobData(), finishedOn: Date.UTC(2026, 0, 1, 0, 1) };
    assert.equal(await settleFailedEvent(deps, job, 'boom'), true);
    const r = events.records.records.get('req-1');
    assert.deepEqual([r?.Status, r?.Attempts.length], ['failed', 0]);
    assert.deepEqual(
      events.sent.map((s) => s.delivery.Kind),
      ['DeadLetter'],
    );
  });

  it('deliver nothing twice for an event the processor had already ended', async () => {
    const { deps, events } = setup();
    const job = { data: jobData(), finishedOn: Date.UTC(2026, 0, 1, 0, 1) };
    assert.equal(await settleFailedEvent(deps, job, 'first'), true);
    const ended = events.records.records.get('req-1');
    const writes = events.records.writes;
    // As after an UnrecoverableError: the record ended, then BullMQ failed the job.
    assert.equal(await settleFailedEvent(deps, job, 'LDK_ERR_X: other'), true);
    assert.deepEqual(events.records.records.get('req-1'), ended);
    assert.equal(events.sent.length, 1);
    assert.equal(events.records.writes, writes);
  });

  it('try again until the event ends, doing without unreadable settings on the last try', async () => {
    const { deps, events } = setup();
    let reads = 0;
    const failing = {
      ...deps,
      registry: {
        get: async () => {
          reads += 1;
          throw new Error('registry unreadable');
        },
      },
      settleDelaysMs: [1, 1],
    };
    const job = { data: jobData(), finishedOn: 1 };
    assert.equal(await settleWithRetries(failing, job, 'boom'), true);
    assert.equal(reads, 3);
    const r = events.records.records.get('req-1');
    assert.deepEqual(
      [r?.Status, r?.Error],
      [
        'failed',
        {
          errorType: 'LDK_ERR_ASYNC_FAILED',
          errorMessage: 'The platform failed while handling this event; it was not tried again.',
        },
      ],
    );
    // Without the function's record there is no dead-letter target to send to.
    assert.deepEqual(events.sent, []);
  });

  it('give up after the last try when the record cannot be written', async () => {
    const { deps, events } = setup();
    let writes = 0;
    events.records.update = async () => {
      writes += 1;
      throw new Error('OOM command not allowed');
    };
    const job = { data: jobData(), finishedOn: 1 };
    assert.equal(await settleWithRetries({ ...deps, settleDelaysMs: [1, 1] }, job, 'x'), false);
    assert.equal(writes, 3);
  });

  it('leave a job the processor failed on purpose alone, but not one over the stall limit', async () => {
    const { deps, events } = setup();
    const worker = new EventEmitter();
    const tracked: Promise<unknown>[] = [];
    watchFailedEvents(worker as unknown as Pick<Worker, 'on'>, {
      ...deps,
      track: (work) => tracked.push(work),
    });
    const job = { id: 'job-1', data: jobData(), finishedOn: 1 };
    worker.emit('failed', job, new UnrecoverableError('LDK_ERR_FUNCTION_NOT_FOUND: gone'));
    assert.equal(tracked.length, 0);
    assert.equal(events.records.records.get('req-1')?.Status, 'running');
    worker.emit('failed', job, new UnrecoverableError(STALLED_REASON));
    assert.equal(tracked.length, 1);
    await Promise.all(tracked);
    const ended = events.records.records.get('req-1')?.Error as { errorType?: string } | undefined;
    assert.equal(ended?.errorType, 'LDK_ERR_ASYNC_STALLED');
  });
});
