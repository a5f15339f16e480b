/**
 * @module
 * Scheduler metrics, registered on a Registry owned by the app instance.
 */
import { Gauge, Registry, collectDefaultMetrics } from 'prom-client';

export interface SchedulerMetrics {
  registry: Registry;
  up: Gauge;
}

export function createMetrics(): SchedulerMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ service: 'scheduler' });
  collectDefaultMetrics({ register: registry });
  const up = new Gauge({
    name: 'lambdock_scheduler_up',
    help: '1 while the scheduler is running and its Redis connection is ready.',
    registers: [registry],
  });
  return { registry, up };
}
