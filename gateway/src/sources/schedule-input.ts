/**
 * @module
 * Reading a schedule rule (API body or sources file entry) into a ScheduleRecord. The expression
 * and time zone are checked here, at creation, with a message that says what is wrong; a rule
 * that fails any check is never stored.
 */
import {
  isValidTimeZone,
  nextFireAfter,
  parseSchedule,
  ruleArn,
  validateRuleName,
  validationError,
  type ArnContext,
  type ManagedBy,
  type ScheduleRecord,
  type ScheduleState,
} from '@lambdock/core';
import { optionalString, Problems, readTargetOrKeep, requiredOrKept } from './target-input.js';

/** The largest constant Input EventBridge accepts (8,192 characters). */
const MAX_INPUT_LENGTH = 8192;

/** A rule's settings, as read from a request (the name and bookkeeping are added on create). */
export type ScheduleFields = Omit<ScheduleRecord, 'name' | 'createdAtMs' | 'managedBy'>;

export function readScheduleName(name: string): string {
  const check = validateRuleName(name);
  if (!check.ok) throw validationError([`Name ${check.message}`]);
  return name;
}

export function readScheduleFields(
  body: Record<string, unknown>,
  ctx: ArnContext,
  base?: ScheduleFields,
): ScheduleFields {
  const problems = new Problems();
  const expression = requiredOrKept(problems, body, 'ScheduleExpression', 256, base?.expression);
  if (expression !== '') {
    const parsed = parseSchedule(expression);
    if (!parsed.ok) problems.messages.push(`ScheduleExpression ${expression}: ${parsed.message}`);
  }
  const timeZone =
    optionalString(problems, body, 'ScheduleExpressionTimezone', 50) ?? base?.timeZone ?? 'UTC';
  if (!isValidTimeZone(timeZone))
    problems.messages.push(`ScheduleExpressionTimezone ${timeZone} is not an IANA time zone`);
  const input = optionalString(problems, body, 'Input', MAX_INPUT_LENGTH) ?? base?.input;
  if (input !== undefined) {
    try {
      JSON.parse(input);
    } catch {
      problems.messages.push('Input must be valid JSON text');
    }
  }
  const state = optionalString(problems, body, 'State', 16) ?? base?.state ?? 'ENABLED';
  if (state !== 'ENABLED' && state !== 'DISABLED')
    problems.messages.push("State must be 'ENABLED' or 'DISABLED'");
  const description = optionalString(problems, body, 'Description', 512) ?? base?.description;
  if (problems.messages.length > 0) throw validationError(problems.messages);
  const target = readTargetOrKeep(body, ctx, base);
  return {
    expression,
    timeZone,
    ...target,
    ...(input === undefined ? {} : { input }),
    state: state === 'DISABLED' ? 'DISABLED' : 'ENABLED',
    ...(description === undefined ? {} : { description }),
  };
}

export function newScheduleRecord(
  name: string,
  fields: ScheduleFields,
  managedBy: ManagedBy,
  createdAtMs: number,
): ScheduleRecord {
  return { name, ...fields, createdAtMs, managedBy };
}

export function renderSchedule(
  rule: ScheduleRecord,
  state: ScheduleState | undefined,
  ctx: ArnContext,
  nowMs: number,
): Record<string, unknown> {
  const parsed = parseSchedule(rule.expression);
  const next =
    rule.state === 'ENABLED' && parsed.ok
      ? nextFireAfter(parsed.schedule, nowMs, {
          timeZone: rule.timeZone,
          anchorMs: rule.createdAtMs,
        })
      : undefined;
  return {
    Name: rule.name,
    Arn: ruleArn(ctx.region, ctx.accountId, rule.name),
    ScheduleExpression: rule.expression,
    ScheduleExpressionTimezone: rule.timeZone,
    FunctionName: rule.functionName,
    ...(rule.qualifier === undefined ? {} : { Qualifier: rule.qualifier }),
    ...(rule.input === undefined ? {} : { Input: rule.input }),
    State: rule.state,
    ...(rule.description === undefined ? {} : { Description: rule.description }),
    ManagedBy: rule.managedBy,
    CreatedAt: new Date(rule.createdAtMs).toISOString(),
    ...(next === undefined ? {} : { NextFireTime: new Date(next).toISOString() }),
    ...(state === undefined
      ? {}
      : {
          LastFireTime: new Date(state.lastTickMs).toISOString(),
          LastFiredAt: new Date(state.firedAtMs).toISOString(),
        }),
  };
}
