/**
 * @module
 * Environment variables: name pattern (model), reserved keys and the 4 KB limit (service), with
 * AWS's own messages. The limit is measured on the compact JSON of the variables, as the
 * recorded message shows ("String measured: {...}").
 */
import { AppError, ERRORS, RESERVED_ENVIRONMENT_KEYS } from '@lambdock/core';
import { isObject, readStringMap, type Problems } from './field-readers.js';

const NAME_PATTERN = String.raw`[a-zA-Z]([a-zA-Z0-9_])+`;
const NAME_RE = new RegExp(`^(?:${NAME_PATTERN})$`);
export const ENVIRONMENT_LIMIT_BYTES = 4096;

const PREFIX =
  'Lambda was unable to configure your environment variables because the environment variables you have provided';

/** `Environment: {Variables: {...}}`; `{}` or no Variables means "no variables". */
export function readEnvironment(
  problems: Problems,
  value: unknown,
): Record<string, string> | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObject(value)) {
    problems.messages.push(
      "Value at 'environment' failed to satisfy constraint: Member must be an object",
    );
    return undefined;
  }
  const variables = readStringMap(problems, 'environment.variables', value.Variables ?? {});
  if (variables === undefined) return undefined;
  if (!Object.keys(variables).every((k) => NAME_RE.test(k))) {
    // Environment values may be secrets: like AWS, the message names no value.
    problems.messages.push(
      `Value at 'environment.variables' failed to satisfy constraint: Map keys must satisfy constraint: [Member must satisfy regular expression pattern: ${NAME_PATTERN}]`,
    );
    return undefined;
  }
  return variables;
}

export function checkEnvironment(variables: Record<string, string>): void {
  const reserved = Object.keys(variables).filter((k) => RESERVED_ENVIRONMENT_KEYS.includes(k));
  if (reserved.length > 0) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      `${PREFIX} contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reserved.join(', ')}`,
    );
  }
  const measured = JSON.stringify(variables);
  if (Buffer.byteLength(measured, 'utf8') > ENVIRONMENT_LIMIT_BYTES) {
    throw new AppError(
      ERRORS.INVALID_PARAMETER,
      `${PREFIX} exceeded the 4KB limit. String measured: ${measured}`,
    );
  }
}
