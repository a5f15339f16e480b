/**
 * @module
 * CloudWatch Logs filter patterns for unstructured events: terms that must all appear
 * (`ERROR timeout`), quoted phrases (`"Task timed out"`), terms of which one must appear
 * (`?ERROR ?WARN`), terms that must not (`ERROR -retrying`), and a regular expression between
 * percent signs (`%Duration: [0-9]{4}%`). Matching is case-sensitive, as AWS's is. JSON
 * (`{ $.x = 1 }`) and space-delimited (`[ip, user]`) patterns are refused, not half-matched.
 *
 * A regular expression comes from the caller and runs on the gateway's one thread, over every
 * line read: it is compiled for V8's linear-time engine (the `l` flag), so no pattern can
 * backtrack for ever. That engine refuses backreferences, lookarounds and counted repetitions
 * above 16 (`{32}`), and its cost grows with the expression's length: at most 256 characters.
 */
import { setFlagsFromString } from 'node:v8';
import { AppError, ERRORS } from '@lambdock/core';

export type EventMatcher = (message: string) => boolean;

const matchAll: EventMatcher = () => true;

function refused(reason: string): AppError {
  return new AppError(ERRORS.LOGS_INVALID_PARAMETER, `Invalid filter pattern: ${reason}`);
}

/** Longer expressions cost more per character matched, even in linear time. */
const MAX_REGEX_CHARS = 256;
let linearEngine: boolean | undefined;

/** Whether V8's linear-time engine is on; the gateway switches it on the first time. */
function linearEngineReady(): boolean {
  if (linearEngine === undefined) {
    try {
      // Only adds the `l` flag; every other expression keeps V8's usual engine.
      setFlagsFromString('--enable-experimental-regexp-engine');
      new RegExp('', 'l');
      linearEngine = true;
    } catch {
      linearEngine = false;
    }
  }
  return linearEngine;
}

/** Words and "quoted phrases", each with its `?` or `-` kept in front. */
function tokens(pattern: string): string[] {
  const found: string[] = [];
  const re = /([?-]?)(?:"((?:[^"\\]|\\.)*)"|(\S+))/g;
  for (let m = re.exec(pattern); m !== null; m = re.exec(pattern)) {
    const text = m[2] !== undefined ? m[2].replace(/\\(.)/g, '$1') : (m[3] ?? '');
    found.push(`${m[1] ?? ''}${text}`);
  }
  return found;
}

export function compileFilterPattern(pattern: string | undefined): EventMatcher {
  const trimmed = pattern?.trim() ?? '';
  if (trimmed === '') return matchAll;
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    throw refused(
      'JSON and space-delimited patterns are not supported; use terms, "quoted phrases", ?terms, -terms or a %regular expression%.',
    );
  }
  if (trimmed.length >= 2 && trimmed.startsWith('%') && trimmed.endsWith('%')) {
    const source = trimmed.slice(1, -1);
    if (source.length > MAX_REGEX_CHARS)
      throw refused(`a regular expression may be at most ${MAX_REGEX_CHARS} characters.`);
    if (!linearEngineReady())
      throw refused("regular expressions need V8's linear-time engine, which this Node lacks.");
    let re: RegExp;
    try {
      re = new RegExp(source, 'l');
    } catch (err) {
      throw refused(
        'the regular expression is not valid, or not one a linear-time engine runs ' +
          `(backreferences, lookarounds, a counted repetition above 16): ${(err as Error).message}`,
      );
    }
    return (message) => re.test(message);
  }
  if ((trimmed.replace(/\\./g, '').match(/"/g) ?? []).length % 2 !== 0) {
    throw refused('a quoted phrase is not closed.');
  }
  const all: string[] = [];
  const any: string[] = [];
  const none: string[] = [];
  for (const token of tokens(trimmed)) {
    if (token.startsWith('?') && token.length > 1) any.push(token.slice(1));
    else if (token.startsWith('-') && token.length > 1) none.push(token.slice(1));
    else if (token !== '') all.push(token);
  }
  return (message) =>
    all.every((t) => message.includes(t)) &&
    (any.length === 0 || any.some((t) => message.includes(t))) &&
    !none.some((t) => message.includes(t));
}
