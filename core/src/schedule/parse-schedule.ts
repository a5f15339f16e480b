/**
 * @module
 * Entry point for schedule expressions: `rate(...)`, EventBridge `cron(...)`, or an unwrapped
 * 5/6-field cron expression. Returns a result instead of throwing, so callers can turn the
 * message into their own validation error.
 */
import { parseAwsCron } from './aws-cron.js';
import { parseRate } from './rate.js';
import { parseStandardCron } from './standard-cron.js';
import type { ScheduleParseResult } from './types.js';

export function parseSchedule(text: string): ScheduleParseResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, message: 'schedule expression is empty' };
  if (trimmed.startsWith('rate(')) return parseRate(trimmed);
  if (trimmed.startsWith('cron(')) return parseAwsCron(trimmed);
  const call = /^(\w+)\s*\(/.exec(trimmed);
  if (call !== null) {
    return {
      ok: false,
      message: `unknown schedule expression '${call[1] ?? ''}(...)': use rate(...) or cron(...)`,
    };
  }
  return parseStandardCron(trimmed);
}
