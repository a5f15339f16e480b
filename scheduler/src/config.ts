/**
 * @module
 * Scheduler configuration: the shared variables plus the leader lock and the firing policy.
 * The schema object is exported so the docs test can compare it with docs/CONFIG.md.
 */
import {
  COMMON_ENV,
  ConfigError,
  intVar,
  loadEnv,
  stringVar,
  type Env,
  type EnvValues,
} from '@lambdock/core';

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
  lockTtlMs: intVar(
    'SCHEDULER_LOCK_TTL_MS',
    'Leader lock lifetime: a dead leader is replaced within this long.',
    { default: 5_000, min: 500, max: 300_000 },
  ),
  pollMs: intVar(
    'SCHEDULER_POLL_MS',
    'How often the leader looks for due ticks (and renews its lock); well below the lock TTL.',
    { default: 250, min: 10, max: 60_000 },
  ),
  catchUpMs: intVar(
    'SCHEDULER_CATCH_UP_MS',
    'Ticks missed while no leader ran are fired late when at most this old; older ones are skipped and counted as misses.',
    { default: 60_000, min: 0, max: 86_400_000 },
  ),
} as const;

export type SchedulerConfig = EnvValues<typeof SCHEDULER_ENV>;

export function loadConfig(env: Env): SchedulerConfig {
  const config = loadEnv(SCHEDULER_ENV, env);
  if (config.pollMs * 2 >= config.lockTtlMs) {
    // Two missed renewals in a row must not lose the lock.
    throw new ConfigError([
      `SCHEDULER_POLL_MS (${config.pollMs}) must be less than half of SCHEDULER_LOCK_TTL_MS (${config.lockTtlMs})`,
    ]);
  }
  return config;
}
