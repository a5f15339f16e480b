/**
 * @module
 * Reading a CloudWatch Logs request body: members of the wrong JSON type are the protocol's
 * SerializationException; values out of the model's bounds are gathered and refused together
 * as InvalidParameterException, in AWS's "N validation errors detected" form.
 */
import { AppError, CONSTRAINTS, ERRORS, constraintMessage, validationError } from '@lambdock/core';

export interface Bounds {
  readonly min?: number;
  readonly max?: number;
}

function serialization(field: string, expected: string): AppError {
  return new AppError(ERRORS.LOGS_SERIALIZATION, `Value of member '${field}' must be ${expected}.`);
}

export class LogsInput {
  private readonly problems: string[] = [];

  constructor(private readonly body: Record<string, unknown>) {}

  static of(body: unknown): LogsInput {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new AppError(ERRORS.LOGS_SERIALIZATION, 'The request body must be a JSON object.');
    }
    return new LogsInput(body as Record<string, unknown>);
  }

  string(field: string, length: Bounds = {}): string | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw serialization(field, 'a string');
    if (length.min !== undefined && value.length < length.min)
      this.problems.push(constraintMessage(field, value, CONSTRAINTS.minLength(length.min)));
    if (length.max !== undefined && value.length > length.max)
      this.problems.push(constraintMessage(field, value, CONSTRAINTS.maxLength(length.max)));
    return value;
  }

  /** A string the request must carry. */
  requiredString(field: string, length: Bounds = {}): string | undefined {
    const value = this.string(field, length);
    if (value === undefined)
      this.problems.push(constraintMessage(field, null, CONSTRAINTS.notNull));
    return value;
  }

  /** A whole number (a Long or an Integer in the model). */
  integer(field: string, range: Bounds = {}): number | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isSafeInteger(value))
      throw serialization(field, 'a whole number');
    if (range.min !== undefined && value < range.min)
      this.problems.push(constraintMessage(field, value, CONSTRAINTS.minValue(range.min)));
    if (range.max !== undefined && value > range.max)
      this.problems.push(constraintMessage(field, value, CONSTRAINTS.maxValue(range.max)));
    return value;
  }

  boolean(field: string): boolean | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw serialization(field, 'true or false');
    return value;
  }

  oneOf<T extends string>(field: string, values: readonly T[]): T | undefined {
    const value = this.string(field);
    if (value === undefined) return undefined;
    if ((values as readonly string[]).includes(value)) return value as T;
    this.problems.push(constraintMessage(field, value, CONSTRAINTS.enumValue(values)));
    return undefined;
  }

  /** A list of strings, `count` items of `length` each. */
  strings(field: string, count: Bounds, length: Bounds): string[] | undefined {
    const value = this.body[field];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
      throw serialization(field, 'a list of strings');
    const items = value as string[];
    if (count.min !== undefined && items.length < count.min)
      this.problems.push(constraintMessage(field, null, CONSTRAINTS.minLength(count.min)));
    if (count.max !== undefined && items.length > count.max)
      this.problems.push(constraintMessage(field, null, CONSTRAINTS.maxLength(count.max)));
    for (const item of items) {
      if (length.min !== undefined && item.length < length.min)
        this.problems.push(constraintMessage(field, item, CONSTRAINTS.minLength(length.min)));
      if (length.max !== undefined && item.length > length.max)
        this.problems.push(constraintMessage(field, item, CONSTRAINTS.maxLength(length.max)));
    }
    return items;
  }

  /** Throws every bound a member broke, at once. */
  check(): void {
    if (this.problems.length > 0)
      throw validationError(this.problems, ERRORS.LOGS_INVALID_PARAMETER);
  }
}

/** A token this API handed out did not come back as it left. */
export function invalidToken(): AppError {
  return new AppError(ERRORS.LOGS_INVALID_PARAMETER, 'The specified nextToken is invalid.');
}
