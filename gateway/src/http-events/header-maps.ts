/**
 * @module
 * Header maps for both event formats, built from `rawHeaders` so repeated headers survive.
 * Maps are made with `Object.fromEntries` so a client-chosen name such as `__proto__` stays an
 * ordinary key.
 */
import { headerPairs } from './request-facts.js';

interface Grouped {
  readonly name: string;
  readonly values: string[];
}

/**
 * Groups occurrences case-insensitively. REST APIs keep the casing of the first occurrence of a
 * name (`X-A: 1`, `x-a: 2` become one `X-A` entry).
 */
function groupHeaders(rawHeaders: readonly string[], lowerNames: boolean): Grouped[] {
  const groups = new Map<string, Grouped>();
  for (const [name, value] of headerPairs(rawHeaders)) {
    const key = name.toLowerCase();
    const group = groups.get(key);
    if (group === undefined) groups.set(key, { name: lowerNames ? key : name, values: [value] });
    else group.values.push(value);
  }
  return [...groups.values()];
}

export interface V1Headers {
  /** Last value wins; `null` when the request has no headers. */
  readonly headers: Record<string, string> | null;
  readonly multiValueHeaders: Record<string, string[]> | null;
}

export function v1Headers(rawHeaders: readonly string[]): V1Headers {
  const groups = groupHeaders(rawHeaders, false);
  if (groups.length === 0) return { headers: null, multiValueHeaders: null };
  return {
    headers: Object.fromEntries(groups.map((g) => [g.name, g.values[g.values.length - 1] ?? ''])),
    multiValueHeaders: Object.fromEntries(groups.map((g) => [g.name, g.values])),
  };
}

export interface V2Headers {
  /** Lower-case names, repeated values joined with `,`; the `cookie` header is left out. */
  readonly headers: Record<string, string>;
  /** From every `Cookie` header: split on `;`, trimmed, empty pieces dropped. */
  readonly cookies: string[];
}

export function v2Headers(rawHeaders: readonly string[]): V2Headers {
  const cookies: string[] = [];
  const entries: Array<[string, string]> = [];
  for (const group of groupHeaders(rawHeaders, true)) {
    if (group.name !== 'cookie') {
      entries.push([group.name, group.values.join(',')]);
      continue;
    }
    for (const value of group.values) {
      for (const piece of value.split(';')) {
        const cookie = piece.trim();
        if (cookie !== '') cookies.push(cookie);
      }
    }
  }
  return { headers: Object.fromEntries(entries), cookies };
}
