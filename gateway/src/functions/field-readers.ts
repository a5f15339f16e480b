/**
 * @module
 * Readers for the JSON members of management requests. Each reader checks one member against
 * AWS's model constraints and records a problem (AWS's wording) instead of throwing, so one
 * ValidationException can list every broken constraint, as AWS does.
 */
import { CONSTRAINTS, constraintMessage } from '@lambdock/core';

export class Problems {
  readonly messages: string[] = [];
  add(field: string, value: string | number | null, constraint: string): undefined {
    this.messages.push(constraintMessage(field, value, constraint));
    return undefined;
  }
}

/** JSON scalars shown the way AWS prints a rejected value. */
function display(value: unknown): string {
  if (typeof value === 'string') return value;
  // Lists print the way AWS's (Java) service prints them: [a, b].
  if (Array.isArray(value))
    return `[${value.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ')}]`;
  return JSON.stringify(value) ?? 'null';
}

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface StringRules {
  maxLength?: number;
  minLength?: number;
  pattern?: { source: string; re: RegExp };
}

export function readString(
  problems: Problems,
  field: string,
  value: unknown,
  rules: StringRules = {},
): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string')
    return problems.add(field, display(value), 'Member must be a string');
  let ok = true;
  if (rules.minLength !== undefined && value.length < rules.minLength) {
    problems.add(field, value, CONSTRAINTS.minLength(rules.minLength));
    ok = false;
  }
  if (rules.maxLength !== undefined && value.length > rules.maxLength) {
    problems.add(field, value, CONSTRAINTS.maxLength(rules.maxLength));
    ok = false;
  }
  if (rules.pattern !== undefined && !rules.pattern.re.test(value)) {
    problems.add(field, value, CONSTRAINTS.pattern(rules.pattern.source));
    ok = false;
  }
  return ok ? value : undefined;
}

export function readInt(
  problems: Problems,
  field: string,
  value: unknown,
  min: number,
  max: number,
): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    return problems.add(field, display(value), 'Member must be an integer');
  }
  if (value < min) return problems.add(field, value, CONSTRAINTS.minValue(min));
  if (value > max) return problems.add(field, value, CONSTRAINTS.maxValue(max));
  return value;
}

export function readEnum<T extends string>(
  problems: Problems,
  field: string,
  value: unknown,
  values: readonly T[],
): T | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
  return problems.add(field, display(value), CONSTRAINTS.enumValue(values));
}

export function readStringList(
  problems: Problems,
  field: string,
  value: unknown,
  maxItems: number,
): string[] | undefined {
  if (value === undefined || value === null) return undefined;
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    return problems.add(field, display(value), 'Member must be a list of strings');
  }
  if (value.length > maxItems)
    return problems.add(field, display(value), CONSTRAINTS.maxLength(maxItems));
  return [...value];
}

/** A JSON object whose values are all strings (environment variables, tags). */
export function readStringMap(
  problems: Problems,
  field: string,
  value: unknown,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value) || !Object.values(value).every((v) => typeof v === 'string')) {
    // Values may be secrets (environments): AWS leaves them out of the message, so do we.
    problems.messages.push(
      `Value at '${field}' failed to satisfy constraint: Member must be a map of strings`,
    );
    return undefined;
  }
  return { ...(value as Record<string, string>) };
}

export function pattern(source: string): { source: string; re: RegExp } {
  return { source, re: new RegExp(`^(?:${source})$`) };
}
