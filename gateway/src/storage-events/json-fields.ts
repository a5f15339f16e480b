/**
 * @module
 * Safe reads from parsed JSON of unknown shape: a webhook body is whatever the sender chose to
 * send, so every member is checked before use.
 */

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The member at `path`, or undefined when any step is missing or not an object. */
export function memberAt(value: unknown, path: readonly string[]): unknown {
  let current: unknown = value;
  for (const name of path) {
    if (!isJsonObject(current)) return undefined;
    current = current[name];
  }
  return current;
}

/** A string member that carries a value; empty strings count as absent. */
export function nonEmptyStringAt(value: unknown, path: readonly string[]): string | undefined {
  const member = memberAt(value, path);
  return typeof member === 'string' && member !== '' ? member : undefined;
}
