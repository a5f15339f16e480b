/**
 * @module
 * Every worker metric, on a Registry owned by the caller (never prom-client's global one).
 * Labels stay low-cardinality: `function` only on counters, never on histograms; error types
 * are bucketed because runtimes report arbitrary exception names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** What the environment gauges read from the pool at each scrape. */
export interface PoolGaugeSource {
  stats(): { starting: number; idle: number; busy: number };
  provisionedUsage(): { busy: number; total: number };
}

const ENVIRONMENT_STATES = ['starting', 'idle', 'busy'] as const;

export type ErrorBucket = 'handler' | 'init' | 'timeout' | 'exit' | 'oom' | 'response-too-large';

export interface WorkerMetrics {
  registry: Registry;
  invocations: Counter<'function' | 'outcome'>;
  functionErrors: Counter<'error'>;
  invokeDuration: Histogram<'start'>;
  coldStarts: Counter<'function'>;
  initDuration: Histogram;
  concurrentExecutions: Gauge;
  environments: Gauge<'state'>;
  throttles: Counter;
  queueWait: Histogram<'queue'>;
  jobsStalled: Counter<'queue'>;
  orphansReaped: Counter;
  up: Gauge;
  asyncEventsReceived: Counter<'function'>;
  asyncEventAge: Histogram;
  asyncEventsDropped: Counter<'function' | 'reason'>;
  deadLetterErrors: Counter<'function'>;
  destinationDeliveryFailures: Counter<'function'>;
  provisionedInvocations: Counter<'function'>;
  spilloverInvocations: Counter<'function'>;
  remoteProvisionedRuns: Counter<'function' | 'outcome'>;
  provisionedUtilization: Gauge;
  /**
   * Let the environment gauges (`environments`, `provisionedUtilization`) read `pool` at each
   * scrape: the pool changes twice per invocation, and setting labelled gauges each time cost
   * more than any scrape.
   */
  observePool(pool: PoolGaugeSource): void;
}

/** Async events wait from milliseconds (idle worker) up to Lambda's six-hour maximum age. */
const EVENT_AGE_BUCKETS = [
  0.01, 0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 120, 300, 900, 1800, 3600, 10_800, 21_600,
];

const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
];

export function createMetrics(): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'worker' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  let pool: PoolGaugeSource | undefined;
  return {
    registry,
    observePool: (source) => {
      pool = source;
    },
    invocations: new Counter({
      name: 'lambdock_worker_invocations_total',
      help: 'Invocations run by this worker, by function and outcome (success, function-error, rejected).',
      labelNames: ['function', 'outcome'],
      registers,
    }),
    functionErrors: new Counter({
      name: 'lambdock_worker_function_errors_total',
      help: 'Function errors by kind: handler, init, timeout, exit, oom, response-too-large.',
      labelNames: ['error'],
      registers,
    }),
    invokeDuration: new Histogram({
      name: 'lambdock_worker_invoke_duration_seconds',
      help: 'Time from handing the event to the runtime until its result (init excluded), by cold or warm start.',
      labelNames: ['start'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    coldStarts: new Counter({
      name: 'lambdock_cold_starts_total',
      help: 'Execution environments started for an invocation.',
      labelNames: ['function'],
      registers,
    }),
    initDuration: new Histogram({
      name: 'lambdock_init_duration_seconds',
      help: 'Time from container start until the runtime asked for its first event.',
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    concurrentExecutions: new Gauge({
      name: 'lambdock_concurrent_executions',
      help: 'Invocations running on this worker now.',
      registers,
    }),
    environments: new Gauge({
      name: 'lambdock_environments',
      help: 'Execution environments on this worker by state (starting, idle, busy).',
      labelNames: ['state'],
      registers,
      collect() {
        if (pool === undefined) return;
        const stats = pool.stats();
        for (const state of ENVIRONMENT_STATES) this.set({ state }, stats[state]);
      },
    }),
    throttles: new Counter({
      name: 'lambdock_worker_throttles_total',
      help: 'Async events put back on the queue because no concurrency was free.',
      registers,
    }),
    queueWait: new Histogram({
      name: 'lambdock_worker_queue_wait_seconds',
      help: 'Time from the gateway accepting an invocation until this worker dequeued it.',
      labelNames: ['queue'],
      buckets: LATENCY_BUCKETS,
      registers,
    }),
    jobsStalled: new Counter({
      name: 'lambdock_worker_jobs_stalled_total',
      help: 'Jobs this worker found stalled (their worker died) and put back on the queue.',
      labelNames: ['queue'],
      registers,
    }),
    orphansReaped: new Counter({
      name: 'lambdock_worker_orphan_containers_reaped_total',
      help: 'Function containers of dead workers (or of an earlier run of this one) removed.',
      registers,
    }),
    up: new Gauge({
      name: 'lambdock_worker_up',
      help: '1 while the worker takes jobs and its Redis connection is ready.',
      registers,
    }),
    ...asyncMetrics(registers),
    ...provisionedMetrics(registers, () => pool),
  };
}

/** Lambda's ProvisionedConcurrencyInvocations, ...SpilloverInvocations and ...Utilization. */
function provisionedMetrics(registers: Registry[], pool: () => PoolGaugeSource | undefined) {
  return {
    provisionedInvocations: new Counter({
      name: 'lambdock_provisioned_concurrency_invocations_total',
      help: 'Invocations run on a provisioned environment, by function.',
      labelNames: ['function'] as const,
      registers,
    }),
    spilloverInvocations: new Counter({
      name: 'lambdock_provisioned_concurrency_spillover_invocations_total',
      help: 'Invocations of a version with provisioned environments (on any worker) that ran on an on-demand one because none was idle on any worker.',
      labelNames: ['function'] as const,
      registers,
    }),
    // Not Lambda's: how often an async attempt took the hop to another worker, and how it ended.
    remoteProvisionedRuns: new Counter({
      name: 'lambdock_provisioned_concurrency_remote_attempts_total',
      help: 'Async attempts this worker sent to an idle provisioned environment of another worker; outcome: success, function-error, rejected or no-reply. That worker counts the invocation itself.',
      labelNames: ['function', 'outcome'] as const,
      registers,
    }),
    provisionedUtilization: new Gauge({
      name: 'lambdock_provisioned_concurrency_utilization',
      help: 'Busy provisioned environments over initialized ones on this worker (0 when there are none).',
      registers,
      collect() {
        const usage = pool()?.provisionedUsage();
        if (usage !== undefined) this.set(usage.total === 0 ? 0 : usage.busy / usage.total);
      },
    }),
  };
}

/** Lambda's asynchronous-invocation metrics (AsyncEventsReceived ... DestinationDeliveryFailures). */
function asyncMetrics(registers: Registry[]) {
  return {
    asyncEventsReceived: new Counter({
      name: 'lambdock_async_events_received_total',
      help: 'Async events taken up for processing, counted once per request id when a worker first takes it.',
      labelNames: ['function'] as const,
      registers,
    }),
    asyncEventAge: new Histogram({
      name: 'lambdock_async_event_age_seconds',
      help: 'Time from the gateway accepting an async event until each attempt starts (retries included).',
      buckets: EVENT_AGE_BUCKETS,
      registers,
    }),
    asyncEventsDropped: new Counter({
      name: 'lambdock_async_events_dropped_total',
      help: 'Async events that ended without a successful run, by function and reason (RetriesExhausted, EventAgeExceeded, ZeroReservedConcurrency, Stalled).',
      labelNames: ['function', 'reason'] as const,
      registers,
    }),
    deadLetterErrors: new Counter({
      name: 'lambdock_dead_letter_errors_total',
      help: 'Failed events that could not be delivered to their dead-letter target.',
      labelNames: ['function'] as const,
      registers,
    }),
    destinationDeliveryFailures: new Counter({
      name: 'lambdock_destination_delivery_failures_total',
      help: 'Invocation records that could not be delivered to an OnSuccess or OnFailure destination.',
      labelNames: ['function'] as const,
      registers,
    }),
  };
}
