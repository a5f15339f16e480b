/**
 * @module
 * Stored log entries as CloudWatch Logs events. An entry is one invocation's framed output
 * (START ... REPORT); each of its lines is an event, as Lambda's log lines are (lambdock's Node
 * runtime, like AWS's, keeps a multi-line message on one line). Every line of an entry carries
 * the entry's time.
 *
 * An event's key orders the events of a log group: the entry's time and sequence (its Redis
 * stream id), then its function (a log group may gather several functions' streams), then the
 * line. The event id is that key in 56 digits, so a nextToken can carry it and `aws logs tail`
 * can tell events of the same millisecond apart.
 */
import { createHash } from 'node:crypto';
import type { LogEntry } from '@lambdock/core';

export interface EventKey {
  readonly ms: number;
  readonly seq: number;
  /** The function's 16 digits (functionDigits). */
  readonly fn: string;
  readonly line: number;
}

export interface LogEvent {
  readonly key: EventKey;
  readonly logStreamName: string;
  readonly timestamp: number;
  readonly message: string;
}

const WIDTH = { ms: 15, seq: 10, fn: 16, line: 15 } as const;
const EVENT_ID = /^(\d{15})(\d{10})(\d{16})(\d{15})$/;
const FN_MODULUS = 10n ** 16n;

const digits = (n: number | bigint, width: number): string => n.toString().padStart(width, '0');

/** A function name's place in the order of one millisecond's entries: stable, 16 digits. */
export function functionDigits(name: string): string {
  const hash = createHash('sha256').update(name).digest();
  return digits(hash.readBigUInt64BE(0) % FN_MODULUS, WIDTH.fn);
}

export function eventIdOf(key: EventKey): string {
  return (
    digits(key.ms, WIDTH.ms) + digits(key.seq, WIDTH.seq) + key.fn + digits(key.line, WIDTH.line)
  );
}

/** The key an event id spells; undefined when it is not one. */
export function keyOfEventId(id: string): EventKey | undefined {
  const m = EVENT_ID.exec(id);
  if (m === null) return undefined;
  return { ms: Number(m[1]), seq: Number(m[2]), fn: m[3] ?? '', line: Number(m[4]) };
}

export function compareKeys(a: EventKey, b: EventKey): number {
  return (
    a.ms - b.ms || a.seq - b.seq || (a.fn < b.fn ? -1 : a.fn > b.fn ? 1 : 0) || a.line - b.line
  );
}

/** Before every event of millisecond `ms`. */
export function startOfMs(ms: number): EventKey {
  return { ms, seq: 0, fn: '0'.repeat(WIDTH.fn), line: 0 };
}

/** After every event of millisecond `ms`. */
export function endOfMs(ms: number): EventKey {
  return { ms, seq: 10 ** WIDTH.seq - 1, fn: '9'.repeat(WIDTH.fn), line: 10 ** WIDTH.line - 1 };
}

/** After every line of the entry `id` of function `fn`. */
export function entryEnd(id: string, fn: string): EventKey {
  const [ms, seq] = id.split('-');
  return { ms: Number(ms), seq: Number(seq), fn, line: 10 ** WIDTH.line - 1 };
}

/** Before every line of the entry `id` of function `fn`. */
export function entryStart(id: string, fn: string): EventKey {
  return { ...entryEnd(id, fn), line: 0 };
}

/** The Redis stream id of the entry holding `key`: where reading from `key` starts. */
export function streamIdOf(key: EventKey): string {
  return `${key.ms}-${key.seq}`;
}

/** The entry's non-empty lines, as events of the function with digits `fn`. */
export function eventsOf(entry: LogEntry, fn: string): LogEvent[] {
  const { ms, seq } = entryStart(entry.id, fn);
  const events: LogEvent[] = [];
  const lines = entry.text.split('\n');
  for (let line = 0; line < lines.length; line++) {
    const message = lines[line] ?? '';
    if (message === '') continue;
    events.push({
      key: { ms, seq, fn, line },
      logStreamName: entry.logStream,
      timestamp: entry.timestamp,
      message,
    });
  }
  return events;
}
