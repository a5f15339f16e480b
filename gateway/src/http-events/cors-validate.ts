/**
 * @module
 * Checks a function URL CORS config against AWS's limits, collecting every problem: at most 100
 * origins of 1..253 characters, methods from GET, PUT, HEAD, POST, PATCH, DELETE and `*` (at most
 * 6), at most 100 allow/expose header names of 1..1024 characters, MaxAge an integer in 0..86400,
 * AllowCredentials a boolean. Takes `unknown` because the config arrives as client JSON.
 */
import { isPlainObject } from './http-response.js';

export const CORS_METHODS: readonly string[] = [
  'GET',
  'PUT',
  'HEAD',
  'POST',
  'PATCH',
  'DELETE',
  '*',
];
export const CORS_MAX_AGE_SECONDS = 86_400;

const KNOWN_KEYS = [
  'AllowOrigins',
  'AllowMethods',
  'AllowHeaders',
  'ExposeHeaders',
  'MaxAge',
  'AllowCredentials',
];

interface ListRule {
  readonly key: string;
  readonly maxItems: number;
  readonly maxLength: number;
  readonly allowed?: readonly string[];
}

const LIST_RULES: readonly ListRule[] = [
  { key: 'AllowOrigins', maxItems: 100, maxLength: 253 },
  { key: 'AllowMethods', maxItems: 6, maxLength: 6, allowed: CORS_METHODS },
  { key: 'AllowHeaders', maxItems: 100, maxLength: 1024 },
  { key: 'ExposeHeaders', maxItems: 100, maxLength: 1024 },
];

function checkList(rule: ListRule, value: unknown, problems: string[]): void {
  if (value === undefined) return;
  if (!Array.isArray(value)) {
    problems.push(`Cors.${rule.key} must be a list of strings`);
    return;
  }
  if (value.length > rule.maxItems) {
    problems.push(
      `Cors.${rule.key} has ${value.length} entries; at most ${rule.maxItems} are allowed`,
    );
  }
  for (const item of value as unknown[]) {
    if (typeof item !== 'string' || item.length === 0 || item.length > rule.maxLength) {
      problems.push(
        `Cors.${rule.key} entry ${JSON.stringify(item)} must be a string of 1..${rule.maxLength} characters`,
      );
    } else if (rule.allowed !== undefined && !rule.allowed.includes(item)) {
      problems.push(`Cors.${rule.key} entry "${item}" must be one of ${rule.allowed.join(', ')}`);
    }
  }
}

export function validateCors(cors: unknown): string[] {
  if (!isPlainObject(cors)) return ['Cors must be an object'];
  const problems: string[] = [];
  for (const key of Object.keys(cors)) {
    if (!KNOWN_KEYS.includes(key))
      problems.push(`Cors.${key} is not a known setting: use ${KNOWN_KEYS.join(', ')}`);
  }
  for (const rule of LIST_RULES) checkList(rule, cors[rule.key], problems);
  const maxAge = cors.MaxAge;
  if (
    maxAge !== undefined &&
    (typeof maxAge !== 'number' ||
      !Number.isInteger(maxAge) ||
      maxAge < 0 ||
      maxAge > CORS_MAX_AGE_SECONDS)
  ) {
    problems.push(`Cors.MaxAge must be an integer from 0 to ${CORS_MAX_AGE_SECONDS} seconds`);
  }
  if (cors.AllowCredentials !== undefined && typeof cors.AllowCredentials !== 'boolean') {
    problems.push('Cors.AllowCredentials must be true or false');
  }
  return problems;
}
