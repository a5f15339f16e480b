/**
 * @module
 * Query-string parsing shared by both event formats, form-style like API Gateway: `+` becomes a
 * space, then escapes are percent-decoded (`%2B` stays a literal `+`); runs of malformed escapes
 * are kept raw. Empty pieces (`a=1&&b=2`) and pieces with an empty key are dropped; a key
 * without `=` gets the value `''`. `rawQueryString` itself is never altered.
 */
import { percentDecode } from './percent-decode.js';

export type QueryPair = readonly [key: string, value: string];

const formDecode = (text: string): string => percentDecode(text.replaceAll('+', ' '));

export function parseQueryString(rawQueryString: string): QueryPair[] {
  const pairs: QueryPair[] = [];
  for (const piece of rawQueryString.split('&')) {
    if (piece === '') continue;
    const eq = piece.indexOf('=');
    const key = formDecode(eq === -1 ? piece : piece.slice(0, eq));
    if (key === '') continue;
    pairs.push([key, eq === -1 ? '' : formDecode(piece.slice(eq + 1))]);
  }
  return pairs;
}
