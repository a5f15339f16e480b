/**
 * @module
 * Scheduler configuration. The scheduler only serves health and metrics for now; schedules
 * arrive with the event-sources work.
 */
import { COMMON_ENV, intVar, loadEnv, stringVar, type Env, type EnvValues } from '@lambdock/core';

export const SCHEDULER_ENV = {
  ...COMMON_ENV,
  port: intVar('SCHEDULER_PORT', 'Port of the scheduler health and metrics endpoint.', {
    default: 9102,
    min: 0,
    max: 65535,
  }),
  host: stringVar('SCHEDULER_HOST', 'Address the scheduler health endpoint listens on.', {
    default: '0.0.0.0',
  }),
} as const;

export type SchedulerConfig = EnvValues<typeof SCHEDULER_ENV>;

export function loadConfig(env: Env): SchedulerConfig {
  return loadEnv(SCHEDULER_ENV, env);
}
