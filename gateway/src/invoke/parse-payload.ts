/**
 * @module
 * An invoke payload must be JSON in strict UTF-8 (AWS answers 400 InvalidRequestContentException
 * otherwise); an empty body stands for `{}`, because runtimes fail on an empty event. The
 * message keeps AWS's prefix and, for the cases AWS's recordings show (an invalid UTF-8 byte, a
 * control character where a value starts), its parser's wording and position.
 */
import { AppError, ERRORS } from '@lambdock/core';

const PREFIX = 'Could not parse request body into json: Could not parse payload into json: ';
const VALUE_EXPECTED =
  "expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')";
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function location(text: string | Buffer, index: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < index; i++) {
    if (text[i] === '\n' || text[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  const column = index - lineStart + 1;
  return `\n at [Source: REDACTED (\`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION\` disabled); line: ${line}, column: ${column}]`;
}

function invalid(detail: string, where: string): AppError {
  return new AppError(ERRORS.INVALID_CONTENT, PREFIX + detail + where);
}

/** Index of the first byte that breaks UTF-8, and whether it was a start or a middle byte. */
export function firstInvalidUtf8(bytes: Buffer): { index: number; middle: boolean } | undefined {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i] ?? 0;
    const need =
      b < 0x80
        ? 0
        : b >= 0xc2 && b <= 0xdf
          ? 1
          : b >= 0xe0 && b <= 0xef
            ? 2
            : b >= 0xf0 && b <= 0xf4
              ? 3
              : -1;
    if (need < 0) return { index: i, middle: false };
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return { index: i + k, middle: true };
    }
    i += need + 1;
  }
  return undefined;
}

function firstValueIndex(text: string | Buffer): number {
  let i = 0;
  while (i < text.length && [' ', '\t', '\r', '\n', 0x20, 0x09, 0x0d, 0x0a].includes(text[i] ?? ''))
    i++;
  return i;
}

function badUtf8(bytes: Buffer): AppError {
  const bad = firstInvalidUtf8(bytes) ?? { index: 0, middle: false };
  const byte = bytes[bad.index] ?? 0;
  if (bad.index === firstValueIndex(bytes)) {
    return invalid(
      `Unexpected character ((CTRL-CHAR, code ${byte})): ${VALUE_EXPECTED}`,
      location(bytes, bad.index),
    );
  }
  const hex = `0x${byte.toString(16).padStart(2, '0')}`;
  return invalid(
    `Invalid UTF-8 ${bad.middle ? 'middle' : 'start'} byte ${hex}`,
    location(bytes, bad.index),
  );
}

function badJson(text: string, err: unknown): AppError {
  const start = firstValueIndex(text);
  const ch = text[start];
  if (ch !== undefined && !/[{["\-0-9tfn]/.test(ch)) {
    const code = ch.charCodeAt(0);
    if (/[A-Za-z]/.test(ch)) {
      const token = /^[A-Za-z0-9_]+/.exec(text.slice(start))?.[0] ?? ch;
      return invalid(
        `Unrecognized token '${token}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`,
        location(text, start),
      );
    }
    const shown = code < 32 ? `(CTRL-CHAR, code ${code})` : `'${ch}' (code ${code})`;
    return invalid(`Unexpected character (${shown}): ${VALUE_EXPECTED}`, location(text, start));
  }
  const message = err instanceof Error ? err.message : 'invalid JSON';
  const position = /position (\d+)/.exec(message)?.[1];
  return invalid(message, location(text, position === undefined ? text.length : Number(position)));
}

/** The payload as JSON text for the runtime; throws InvalidRequestContentException. */
export function decodePayload(bytes: Buffer): string {
  if (bytes.length === 0) return '{}';
  let text: string;
  try {
    text = STRICT_UTF8.decode(bytes);
  } catch {
    throw badUtf8(bytes);
  }
  try {
    JSON.parse(text);
  } catch (err) {
    throw badJson(text, err);
  }
  return text;
}
