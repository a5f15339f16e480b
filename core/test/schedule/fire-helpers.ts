/**
 * @module
 * Test helpers: parse an expression that must be valid and list its next ticks as ISO strings.
 */
import assert from 'node:assert/strict';
import { nextFireAfter, parseSchedule, type Schedule } from '../../src/schedule/index.js';

export function mustParse(expression: string): Schedule {
  const result = parseSchedule(expression);
  assert.ok(result.ok, result.ok ? '' : result.message);
  return result.schedule;
}

export function iso(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** The next `count` ticks strictly after `afterIso`, each found from the previous one. */
export function nextTicks(
  expression: string,
  afterIso: string,
  count: number,
  options: { timeZone?: string; anchorIso?: string } = {},
): Array<string | undefined> {
  const schedule = mustParse(expression);
  const anchorMs = options.anchorIso === undefined ? 0 : Date.parse(options.anchorIso);
  const out: Array<string | undefined> = [];
  let after = Date.parse(afterIso);
  for (let i = 0; i < count; i++) {
    const next = nextFireAfter(schedule, after, { timeZone: options.timeZone ?? 'UTC', anchorMs });
    out.push(iso(next));
    if (next === undefined) break;
    after = next;
  }
  return out;
}
