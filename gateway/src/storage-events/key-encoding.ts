/**
 * @module
 * Object keys in S3 notifications. AWS form-encodes them (space as `+`, `/` kept); MinIO uses
 * Go's `url.QueryEscape`, which also escapes `/` as `%2F`; Ceph RGW and s3rver send the raw key.
 * Form-decoding reads both encoded dialects, raw keys are taken as they are, and every record
 * leaves with AWS's encoding.
 */

export type KeyEncoding = 'form' | 'raw';

/** `+` means space, then percent-decode; a malformed escape means the key was never encoded. */
export function formDecodeKey(encoded: string): string {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return encoded;
  }
}

export function decodeKey(key: string, encoding: KeyEncoding): string {
  return encoding === 'form' ? formDecodeKey(key) : key;
}

const SLASH = 0x2f;
const SPACE = 0x20;

/**
 * The bytes AWS leaves as they are: letters, digits and `-_.*` (the unreserved set of
 * application/x-www-form-urlencoded as Java's URLEncoder applies it). Everything else, including
 * `~ ! ' ( )`, is percent-encoded.
 */
function isKeptByte(byte: number): boolean {
  return (
    (byte >= 0x30 && byte <= 0x39) ||
    (byte >= 0x41 && byte <= 0x5a) ||
    (byte >= 0x61 && byte <= 0x7a) ||
    byte === 0x2d ||
    byte === 0x5f ||
    byte === 0x2e ||
    byte === 0x2a
  );
}

/** Encode a real key the way AWS writes `s3.object.key`: `uploads/cat pic.jpg` → `uploads/cat+pic.jpg`. */
export function encodeAwsKey(key: string): string {
  let out = '';
  // Buffer.from replaces lone surrogates with U+FFFD, so every string encodes.
  for (const byte of Buffer.from(key, 'utf8')) {
    if (byte === SLASH) out += '/';
    else if (byte === SPACE) out += '+';
    else if (isKeptByte(byte)) out += String.fromCharCode(byte);
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}
