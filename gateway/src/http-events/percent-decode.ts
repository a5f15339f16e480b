/**
 * @module
 * Lenient percent-decoding for path parameters and query strings. `decodeURIComponent` throws on
 * the first bad escape; a gateway must not turn a client's typo into a 500, so each run of escapes
 * that does not decode to valid UTF-8 (or a lone `%`) is kept exactly as it arrived.
 */

const ESCAPE_RUN = /(?:%[0-9A-Fa-f]{2})+/g;

export function percentDecode(text: string): string {
  if (!text.includes('%')) return text;
  return text.replace(ESCAPE_RUN, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      return run;
    }
  });
}
