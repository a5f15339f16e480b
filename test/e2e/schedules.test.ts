/**
 * Schedules end to end: two scheduler replicas share one Redis; a seconds-granularity rule fires
 * exactly one invocation per tick, also across a SIGKILL of the leader (the other replica takes
 * the lock within its TTL and fires the ticks missed meanwhile, each once). The function sees
 * EventBridge's Scheduled Event with the tick's own time.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { RUNTIME_IMAGES } from '../helpers/docker.js';
import { markedJson } from '../helpers/function-events.js';
import { createZipFunction } from '../helpers/lambda.js';
import type { SchedulerProcess } from '../helpers/stack.js';
import { uniqueName } from '../helpers/stack.js';
import { useStack } from '../helpers/suite.js';
import { waitFor } from '../helpers/wait.js';

const LOCK_TTL_MS = 1500;
const SCHEDULER_ENV = {
  SCHEDULER_LOCK_TTL_MS: String(LOCK_TTL_MS),
  SCHEDULER_POLL_MS: '100',
  SCHEDULER_CATCH_UP_MS: '10000',
};
const MARK = 'node-echo invoked ';

interface ScheduledEvent {
  version: string;
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, never>;
}

async function leaderOf(replicas: readonly SchedulerProcess[]): Promise<SchedulerProcess[]> {
  const leaders: SchedulerProcess[] = [];
  for (const replica of replicas) {
    if (replica.child.exitCode !== null || replica.child.signalCode !== null) continue;
    if (/^lambdock_scheduler_leader\{[^}]*\} 1$/m.test(await replica.metrics()))
      leaders.push(replica);
  }
  return leaders;
}

describe('schedules across two scheduler replicas', () => {
  const ctx = useStack([RUNTIME_IMAGES.node]);

  async function events(endpoint: string, fn: string): Promise<ScheduledEvent[]> {
    const found: ScheduledEvent[] = [];
    let after = '';
    for (let page = 0; page < 100; page += 1) {
      const res = await fetch(
        `${endpoint}/2015-03-31/functions/${fn}/logs?limit=1000${after ? `&after=${after}` : ''}`,
      );
      const body = (await res.json()) as { events: { message: string }[]; nextToken?: string };
      for (const e of body.events) found.push(...markedJson<ScheduledEvent>(e.message, MARK));
      if (!body.nextToken || body.events.length === 0) break;
      after = body.nextToken;
    }
    return found;
  }

  it('fires each tick exactly once, through a leader SIGKILL', async (t) => {
    const { stack, client } = ctx;
    const fn = uniqueName('sched');
    await createZipFunction(client, {
      name: fn,
      fixture: 'node-echo',
      runtime: 'nodejs20.x',
      handler: 'index.handler',
    });
    const replicas = [
      await stack.startScheduler(SCHEDULER_ENV),
      await stack.startScheduler(SCHEDULER_ENV),
    ];
    const rule = uniqueName('every-second');
    const created = await fetch(`${stack.endpoint}/lambdock/v1/schedules`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ Name: rule, ScheduleExpression: '* * * * * *', FunctionName: fn }),
    });
    assert.equal(created.status, 201, await created.clone().text());
    const first = await waitFor('one leader', 10_000, async () => {
      const leaders = await leaderOf(replicas);
      return leaders.length === 1 ? leaders[0] : undefined;
    });
    await sleep(8_000);
    await first.kill('SIGKILL');
    const killedAt = Date.now();
    const second = await waitFor('a new leader', LOCK_TTL_MS + 3_000, async () => {
      const leaders = await leaderOf(replicas);
      return leaders.length === 1 ? leaders[0] : undefined;
    });
    const handOverMs = Date.now() - killedAt;
    assert.notEqual(second, first);
    await sleep(14_000);
    const stopped = await fetch(`${stack.endpoint}/lambdock/v1/schedules/${rule}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ State: 'DISABLED' }),
    });
    assert.equal(stopped.status, 200);
    // Let the last queued ticks run.
    await sleep(3_000);

    const seen = await events(stack.endpoint, fn);
    const times = seen.map((e) => Date.parse(e.time)).sort((a, b) => a - b);
    assert.ok(times.length >= 20, `only ${times.length} ticks ran`);
    assert.equal(
      new Set(times).size,
      times.length,
      `duplicate ticks: ${seen.map((e) => e.time).join(' ')}`,
    );
    for (let i = 1; i < times.length; i += 1) {
      assert.equal(
        times[i]! - times[i - 1]!,
        1000,
        `gap between ${seen[i - 1]?.time} and ${seen[i]?.time}`,
      );
    }
    const arn = `arn:aws:events:us-east-1:000000000000:rule/${rule}`;
    for (const event of seen) {
      assert.deepEqual(Object.keys(event), [
        'version',
        'id',
        'detail-type',
        'source',
        'account',
        'time',
        'region',
        'resources',
        'detail',
      ]);
      assert.deepEqual(
        { ...event, id: '', time: '' },
        {
          version: '0',
          id: '',
          'detail-type': 'Scheduled Event',
          source: 'aws.events',
          account: '000000000000',
          time: '',
          region: 'us-east-1',
          resources: [arn],
          detail: {},
        },
      );
      assert.match(event.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    assert.ok(handOverMs <= LOCK_TTL_MS + 1_000, `hand-over took ${handOverMs} ms`);
    t.diagnostic(`${times.length} ticks, each once; hand-over ${handOverMs} ms`);

    const view = await fetch(`${stack.endpoint}/lambdock/v1/schedules/${rule}`);
    const body = (await view.json()) as Record<string, unknown>;
    assert.equal(body.LastFireTime, new Date(times[times.length - 1]!).toISOString());
    assert.equal(body.State, 'DISABLED');
    assert.equal(body.NextFireTime, undefined);
    const metrics = await second.metrics();
    assert.match(
      metrics,
      new RegExp(`^lambdock_schedule_fires_total\\{schedule="${rule}"[^}]*\\} \\d+$`, 'm'),
    );
  });

  it('rejects an invalid expression or time zone at creation and stores nothing', async () => {
    const { stack } = ctx;
    const post = (body: unknown) =>
      fetch(`${stack.endpoint}/lambdock/v1/schedules`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const bad = await post({
      Name: 'bad',
      ScheduleExpression: 'cron(0 9 * * MON-FRI *)',
      FunctionName: 'f',
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.headers.get('x-amzn-errortype'), 'ValidationException');
    const text = ((await bad.json()) as { message: string }).message;
    assert.match(text, /day-of-month and day-of-week/);
    const zone = await post({
      Name: 'badzone',
      ScheduleExpression: 'rate(5 minutes)',
      ScheduleExpressionTimezone: 'Mars/Olympus',
      FunctionName: 'f',
    });
    assert.equal(zone.status, 400);
    assert.match(((await zone.json()) as { message: string }).message, /Mars\/Olympus/);
    const list = (await (await fetch(`${stack.endpoint}/lambdock/v1/schedules`)).json()) as {
      Items: { Name: string }[];
    };
    assert.deepEqual(
      list.Items.filter((i) => i.Name === 'bad' || i.Name === 'badzone'),
      [],
    );
  });
});
