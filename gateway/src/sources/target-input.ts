/**
 * @module
 * Shared readers for event-source requests: the function an event source invokes (a name, a
 * partial or full ARN, with an optional qualifier) and small typed members, collected as
 * problems so one ValidationException lists everything wrong.
 */
import { parseFunctionName, type ArnContext } from '@lambdock/core';
import { isObject, Problems } from '../functions/field-readers.js';

export interface SourceTarget {
  functionName: string;
  qualifier?: string;
}

/** A JSON object body, or an empty one for a body that is not an object. */
export function bodyObject(body: unknown): Record<string, unknown> {
  return isObject(body) ? body : {};
}

/** FunctionName (+ Qualifier) as an event source names it; throws AWS's own errors. */
export function readTarget(body: Record<string, unknown>, ctx: ArnContext): SourceTarget {
  const raw = body.FunctionName;
  const qualifier = body.Qualifier;
  const parsed = parseFunctionName(typeof raw === 'string' ? raw : undefined, {
    ...ctx,
    rule: 'invoke',
    ...(typeof qualifier === 'string' ? { qualifier } : {}),
  });
  return parsed.qualifier === undefined || parsed.qualifier === '$LATEST'
    ? { functionName: parsed.name }
    : { functionName: parsed.name, qualifier: parsed.qualifier };
}

/** The target of a partial update: the body's when it names one, else the current one. */
export function readTargetOrKeep(
  body: Record<string, unknown>,
  ctx: ArnContext,
  current?: SourceTarget,
): SourceTarget {
  if (current === undefined || body.FunctionName !== undefined) return readTarget(body, ctx);
  return current.qualifier === undefined
    ? { functionName: current.functionName }
    : { functionName: current.functionName, qualifier: current.qualifier };
}

/** A required string of a create, or of an update that may leave it as it is (`current`). */
export function requiredOrKept(
  problems: Problems,
  body: Record<string, unknown>,
  field: string,
  max: number,
  current?: string,
): string {
  return current !== undefined && body[field] === undefined
    ? current
    : requiredString(problems, body, field, max);
}

export function optionalString(
  problems: Problems,
  body: Record<string, unknown>,
  field: string,
  max = 1024,
): string | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.length === 0 || value.length > max) {
    problems.messages.push(`${field} must be a string of 1 to ${max} characters`);
    return undefined;
  }
  return value;
}

export function requiredString(
  problems: Problems,
  body: Record<string, unknown>,
  field: string,
  max = 1024,
): string {
  const value = optionalString(problems, body, field, max);
  if (value === undefined && (body[field] === undefined || body[field] === null))
    problems.messages.push(`${field} is required`);
  return value ?? '';
}

export function optionalInteger(
  problems: Problems,
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    problems.messages.push(`${field} must be an integer from ${min} to ${max}`);
    return undefined;
  }
  return value;
}

export { Problems };
