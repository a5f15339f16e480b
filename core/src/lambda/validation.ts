/**
 * @module
 * AWS's model-validation messages ("1 validation error detected: Value 'x' at 'field' failed to
 * satisfy constraint: ..."), built in one place so every check words them the same way.
 */
import { AppError, ERRORS, type ErrorSpec } from '../errors.js';

/** How AWS prints the offending value: quoted, or the bare word `null` when it was missing. */
function shown(value: string | number | null): string {
  return value === null ? 'null' : `'${value}'`;
}

export function constraintMessage(
  field: string,
  value: string | number | null,
  constraint: string,
): string {
  return `Value ${shown(value)} at '${field}' failed to satisfy constraint: ${constraint}`;
}

export const CONSTRAINTS = Object.freeze({
  notNull: 'Member must not be null',
  pattern: (pattern: string) => `Member must satisfy regular expression pattern: ${pattern}`,
  maxLength: (max: number) => `Member must have length less than or equal to ${max}`,
  minLength: (min: number) => `Member must have length greater than or equal to ${min}`,
  maxValue: (max: number) => `Member must have value less than or equal to ${max}`,
  minValue: (min: number) => `Member must have value greater than or equal to ${min}`,
  enumValue: (values: readonly string[]) =>
    `Member must satisfy enum value set: [${values.join(', ')}]`,
});

/** AWS's InvalidParameterValueException: a service rule (not the model's) refused a value. */
export function invalidParameter(message: string): AppError {
  return new AppError(ERRORS.INVALID_PARAMETER, message);
}

/**
 * One error for every broken constraint, the way AWS reports them: a count, then the
 * messages joined by "; ". The spec is ValidationException unless AWS uses another code.
 */
export function validationError(
  messages: readonly string[],
  errorSpec: ErrorSpec = ERRORS.VALIDATION,
): AppError {
  const n = messages.length;
  const prefix = `${n} validation error${n === 1 ? '' : 's'} detected: `;
  return new AppError(errorSpec, prefix + messages.join('; '));
}
