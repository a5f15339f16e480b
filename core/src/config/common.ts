/**
 * @module
 * Variables every service reads. Defaults live in ../defaults.ts with the reason for each.
 */
import { DEFAULTS } from '../defaults.js';
import { enumVar, intVar, stringVar, urlVar } from './env-schema.js';

export const COMMON_ENV = {
  redisUrl: urlVar(
    'REDIS_URL',
    'Redis holding queues, registry, leases and logs.',
    DEFAULTS.REDIS_URL,
    ['redis:', 'rediss:'],
  ),
  keyPrefix: stringVar(
    'LAMBDOCK_PREFIX',
    'Prefix of every Redis key and BullMQ queue lambdock uses.',
    {
      default: DEFAULTS.KEY_PREFIX,
      pattern: /^[a-zA-Z0-9_-]{1,32}$/,
      hint: 'must be 1-32 letters, digits, - or _',
    },
  ),
  region: stringVar('LAMBDOCK_REGION', 'Region name used in ARNs and passed to functions.', {
    default: DEFAULTS.REGION,
    pattern: /^[a-z]{2}(-[a-z]+)+-\d$/,
    hint: 'must look like an AWS region, e.g. us-east-1',
  }),
  accountId: stringVar('LAMBDOCK_ACCOUNT_ID', 'Twelve-digit account id used in ARNs.', {
    default: DEFAULTS.ACCOUNT_ID,
    pattern: /^\d{12}$/,
    hint: 'must be 12 digits',
  }),
  accountConcurrency: intVar(
    'ACCOUNT_CONCURRENCY_LIMIT',
    'Cluster-wide limit on in-flight invocations (Lambda account concurrency).',
    { default: DEFAULTS.ACCOUNT_CONCURRENCY_LIMIT, min: 1, max: 100_000 },
  ),
  logLevel: enumVar(
    'LOG_LEVEL',
    'Minimum level of service log lines.',
    ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const,
    'info',
  ),
} as const;

/** Read by the gateway (which takes sync leases) and the worker (which renews them). */
export const LEASE_TTL_ENV = intVar(
  'LEASE_TTL_MS',
  "Lifetime of a concurrency lease without renewal: the gateway takes one per sync invoke, the worker renews it every third of this while running, and a dead holder's slot comes back after it.",
  { default: DEFAULTS.LEASE_TTL_MS, min: 3_000, max: 600_000 },
);

/** Read by the gateway and the worker; compose's stop_grace_period must exceed it. */
export const DRAIN_TIMEOUT_ENV = intVar(
  'DRAIN_TIMEOUT_MS',
  'On SIGTERM/SIGINT, how long in-flight requests and invocations may finish (the longest function timeout plus margin).',
  { default: DEFAULTS.DRAIN_TIMEOUT_MS, min: 0, max: 3_600_000 },
);
