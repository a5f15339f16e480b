/**
 * @module
 * The neutral description of one HTTP request that the event builders read. The gateway fills it
 * from Node's request (`req.rawHeaders`, the undecoded URL, the body bytes); nothing here knows
 * about express, so the builders stay pure and table-testable.
 */

export interface HttpRequestFacts {
  /** Upper-case method, e.g. `GET`. */
  readonly method: string;
  /** The path as received: percent-encoding kept, no query string. */
  readonly rawPath: string;
  /** The query string without `?`; `''` when there is none. */
  readonly rawQueryString: string;
  /** Node's `req.rawHeaders`: `[name, value, name, value, …]`, arrival order, original casing. */
  readonly rawHeaders: readonly string[];
  /** The body bytes; an empty Buffer when the request has none. */
  readonly body: Buffer;
  readonly sourceIp: string;
  /** e.g. `HTTP/1.1`. */
  readonly protocol: string;
  readonly requestId: string;
  readonly timeEpochMs: number;
}

/** A header as it arrived: original name casing, one entry per occurrence. */
export type HeaderPair = readonly [name: string, value: string];

/** Pairs `rawHeaders` up; a dangling name without a value is ignored. */
export function headerPairs(rawHeaders: readonly string[]): HeaderPair[] {
  const pairs: HeaderPair[] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    pairs.push([rawHeaders[i] ?? '', rawHeaders[i + 1] ?? '']);
  }
  return pairs;
}

/** The last value of a header (names compare case-insensitively), or undefined. */
export function lastHeaderValue(rawHeaders: readonly string[], name: string): string | undefined {
  const wanted = name.toLowerCase();
  let found: string | undefined;
  for (const [headerName, value] of headerPairs(rawHeaders)) {
    if (headerName.toLowerCase() === wanted) found = value;
  }
  return found;
}
