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
