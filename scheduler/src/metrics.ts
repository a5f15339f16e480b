/**
 * @module
 * Scheduler metrics, registered on a Registry owned by the app instance.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface SchedulerMetrics {
  registry: Registry;
  up: Gauge;
  leader: Gauge;
  fires: Counter<'schedule'>;
  misses: Counter<'schedule'>;
  fireDelay: Histogram;
}

export interface SchedulerMetricsOptions {
  /** Process metrics (CPU, heap, event loop); off in unit tests. @defaultValue true */
  processMetrics?: boolean;
}

export function createMetrics(options: SchedulerMetricsOptions = {}): SchedulerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'scheduler' });
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    up: new Gauge({
      name: 'lambdock_scheduler_up',
      help: '1 while the scheduler is running and its Redis connection is ready.',
      registers,
    }),
    leader: new Gauge({
      name: 'lambdock_scheduler_leader',
      help: '1 while this replica holds the leader lock and fires schedules.',
      registers,
    }),
    fires: new Counter({
      name: 'lambdock_schedule_fires_total',
      help: 'Schedule ticks fired (queued as async invocations), by schedule.',
      labelNames: ['schedule'] as const,
      registers,
    }),
    misses: new Counter({
      name: 'lambdock_schedule_misses_total',
      help: 'Schedule ticks skipped because they were older than the catch-up window when a leader got to them.',
      labelNames: ['schedule'] as const,
      registers,
    }),
    fireDelay: new Histogram({
      name: 'lambdock_schedule_fire_delay_seconds',
      help: 'How late a tick was queued after its scheduled time.',
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
      registers,
    }),
  };
}
