/**
 * @module
 * Strict base64 check by a linear scan: a regular expression over a 70 MB zip upload would
 * exhaust the regexp engine's backtracking stack.
 */

function isBase64Char(code: number): boolean {
  return (
    (code >= 65 && code <= 90) || // A-Z
    (code >= 97 && code <= 122) || // a-z
    (code >= 48 && code <= 57) || // 0-9
    code === 43 || // +
    code === 47 // /
  );
}

/** Standard alphabet, padded, no whitespace. */
export function isStrictBase64(text: string): boolean {
  if (text.length % 4 !== 0) return false;
  let padding = 0;
  if (text.endsWith('==')) padding = 2;
  else if (text.endsWith('=')) padding = 1;
  const end = text.length - padding;
  for (let i = 0; i < end; i++) {
    if (!isBase64Char(text.charCodeAt(i))) return false;
  }
  return true;
}
