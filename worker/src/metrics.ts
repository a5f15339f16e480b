/**
 * @module
 * Every worker metric, on a Registry owned by the caller (never prom-client's global one).
 * Labels stay low-cardinality: `function` only on counters, never on histograms; error types
 * are bucketed because runtimes report arbitrary exception names.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

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
}

const LATENCY_BUCKETS = [
  0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
];

export function createMetrics(): WorkerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'worker' });
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
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
  };
}
