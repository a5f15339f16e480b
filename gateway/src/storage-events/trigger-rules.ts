/**
 * @module
 * Trigger rules route storage events to functions, like a bucket notification configuration
 * with a Lambda destination: a bucket, event types, an optional key prefix and suffix (on the
 * decoded key, so no URL-encoding in filter values) and the function to invoke.
 */
import { FUNCTION_NAME_MAX_LENGTH, QUALIFIER_MAX_LENGTH, QUALIFIER_PATTERN } from '@lambdock/core';
import { eventTypeMatches, isS3EventType } from './event-types.js';
import { isJsonObject } from './json-fields.js';
import type { NormalizedRecord, TriggerRule } from './types.js';

export type TriggerRuleResult = { ok: true; rule: TriggerRule } | { ok: false; message: string };

const RULE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BUCKET_MAX_LENGTH = 255;
const FUNCTION_NAME = /^[A-Za-z0-9_-]+$/;
const QUALIFIER = new RegExp(`^(?:${QUALIFIER_PATTERN})$`);
const KNOWN_FIELDS = new Set([
  'id',
  'bucket',
  'events',
  'prefix',
  'suffix',
  'functionName',
  'qualifier',
]);

/** The first problem with `events`, or undefined when every entry is an S3 event type. */
function eventsProblem(events: unknown): string | undefined {
  if (!Array.isArray(events) || events.length === 0) {
    return 'events must be a non-empty array of S3 event types, e.g. ["s3:ObjectCreated:*"].';
  }
  for (const [index, event] of (events as unknown[]).entries()) {
    if (typeof event !== 'string') return `events[${index}] must be a string.`;
    if (isS3EventType(event)) continue;
    if (isS3EventType(`s3:${event}`)) {
      return `events[${index}] "${event}" needs the s3: prefix: "s3:${event}".`;
    }
    return `events[${index}] "${event}" is not an S3 event type (e.g. s3:ObjectCreated:*, s3:ObjectRemoved:Delete).`;
  }
  return undefined;
}

function optionalFilter(name: string, value: unknown): string | undefined {
  if (value === undefined || (typeof value === 'string' && value !== '')) return undefined;
  return `${name} must be a non-empty string when present (leave it out to match every key).`;
}

function ruleProblem(input: Record<string, unknown>): string | undefined {
  const unknown = Object.keys(input).find((name) => !KNOWN_FIELDS.has(name));
  if (unknown !== undefined) {
    return `Unknown field "${unknown}"; a trigger rule has ${[...KNOWN_FIELDS].join(', ')}.`;
  }
  const { id, bucket, functionName, qualifier } = input;
  if (typeof id !== 'string' || !RULE_ID.test(id)) {
    return 'id must be 1-128 characters of letters, digits and . _ : -';
  }
  if (typeof bucket !== 'string' || bucket === '' || bucket.length > BUCKET_MAX_LENGTH) {
    return `bucket must be a bucket name of 1-${BUCKET_MAX_LENGTH} characters.`;
  }
  if (bucket.includes('/')) return 'bucket must be a bucket name, without "/".';
  const problem =
    eventsProblem(input['events']) ??
    optionalFilter('prefix', input['prefix']) ??
    optionalFilter('suffix', input['suffix']);
  if (problem !== undefined) return problem;
  if (
    typeof functionName !== 'string' ||
    functionName.length > FUNCTION_NAME_MAX_LENGTH ||
    !FUNCTION_NAME.test(functionName)
  ) {
    return `functionName must be a function name of 1-${FUNCTION_NAME_MAX_LENGTH} letters, digits, - and _.`;
  }
  if (
    qualifier !== undefined &&
    (typeof qualifier !== 'string' ||
      qualifier.length > QUALIFIER_MAX_LENGTH ||
      !QUALIFIER.test(qualifier))
  ) {
    return `qualifier must be $LATEST, a version number or an alias name (at most ${QUALIFIER_MAX_LENGTH} characters).`;
  }
  return undefined;
}

/** Check a rule from configuration or an API body; the rule returned is a fresh copy. */
export function validateTriggerRule(input: unknown): TriggerRuleResult {
  if (!isJsonObject(input)) return { ok: false, message: 'A trigger rule must be a JSON object.' };
  const problem = ruleProblem(input);
  if (problem !== undefined) return { ok: false, message: problem };
  const rule: TriggerRule = {
    id: input['id'] as string,
    bucket: input['bucket'] as string,
    events: [...(input['events'] as string[])],
    functionName: input['functionName'] as string,
  };
  if (typeof input['prefix'] === 'string') rule.prefix = input['prefix'];
  if (typeof input['suffix'] === 'string') rule.suffix = input['suffix'];
  if (typeof input['qualifier'] === 'string') rule.qualifier = input['qualifier'];
  return { ok: true, rule };
}

export function ruleMatches(rule: TriggerRule, record: NormalizedRecord): boolean {
  return (
    rule.bucket === record.bucket &&
    rule.events.some((pattern) => eventTypeMatches(pattern, record.eventName)) &&
    (rule.prefix === undefined || record.key.startsWith(rule.prefix)) &&
    (rule.suffix === undefined || record.key.endsWith(rule.suffix))
  );
}

/** Every rule the record triggers, in the order given; one event may invoke several functions. */
export function matchingRules(
  rules: readonly TriggerRule[],
  record: NormalizedRecord,
): TriggerRule[] {
  return rules.filter((rule) => ruleMatches(rule, record));
}
