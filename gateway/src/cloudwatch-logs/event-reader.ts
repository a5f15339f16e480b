/**
 * @module
 * Reading a log group's events in order, forward or backward, across the streams of its
 * functions, a bounded number of stored entries per call: a read that finds too few matching
 * events says how far it looked, so the caller's next page goes on from there. Each function's
 * entries are read in its stream's order; a group of several functions is merged up to the
 * point every one of them was read to (the horizon), so no event is skipped.
 */
import type { LogReader } from '../deps.js';
import type { GroupMember } from './log-groups.js';
import {
  compareKeys,
  entryEnd,
  entryStart,
  eventsOf,
  streamIdOf,
  type EventKey,
  type LogEvent,
} from './log-events.js';

/** Stored entries read per function per call. */
export const ENTRIES_PER_READ = 500;

export interface ReadRequest {
  readonly members: readonly GroupMember[];
  /** Forward: only events after this key; backward: only events before it. */
  readonly from?: EventKey;
  /** Epoch ms bounds, both inclusive. */
  readonly startTime?: number;
  readonly endTime?: number;
  readonly want: (event: LogEvent) => boolean;
  readonly limit: number;
  /** Stop adding events once their messages reach this many bytes (the page's size). */
  readonly maxBytes: number;
}

export interface ReadResult {
  /** In the direction read: oldest first forward, newest first backward. */
  readonly events: LogEvent[];
  /** Where the next page starts (after it forward, before it backward); undefined: nothing left. */
  readonly next?: EventKey;
}

type Direction = 'forward' | 'backward';

async function readMember(
  logs: Pick<LogReader, 'range' | 'rangeBack'>,
  member: GroupMember,
  request: ReadRequest,
  direction: Direction,
): Promise<{ events: LogEvent[]; horizon?: EventKey }> {
  const { from, startTime, endTime } = request;
  const low = startTime === undefined ? '-' : String(startTime);
  const high = endTime === undefined ? '+' : String(endTime);
  const entries =
    direction === 'forward'
      ? await logs.range(member.name, maxId(from, low), high, ENTRIES_PER_READ)
      : await logs.rangeBack(member.name, minId(from, high), low, ENTRIES_PER_READ);
  const events: LogEvent[] = [];
  for (const entry of entries) {
    for (const event of eventsOf(entry, member.fn)) {
      if (from === undefined) events.push(event);
      else if (
        direction === 'forward'
          ? compareKeys(event.key, from) > 0
          : compareKeys(event.key, from) < 0
      )
        events.push(event);
    }
  }
  const last = entries[entries.length - 1];
  // A full read may have left entries behind: nothing past its last entry is known yet.
  if (entries.length < ENTRIES_PER_READ || last === undefined) return { events };
  const horizon =
    direction === 'forward' ? entryEnd(last.id, member.fn) : entryStart(last.id, member.fn);
  return { events, horizon };
}

/** The later of a key's entry and a time, as an XRANGE start. */
function maxId(from: EventKey | undefined, low: string): string {
  if (from === undefined) return low;
  return low === '-' || from.ms >= Number(low) ? streamIdOf(from) : low;
}

/** The earlier of a key's entry and a time, as an XREVRANGE end. */
function minId(from: EventKey | undefined, high: string): string {
  if (from === undefined) return high;
  return high === '+' || from.ms <= Number(high) ? streamIdOf(from) : high;
}

export async function readEvents(
  logs: Pick<LogReader, 'range' | 'rangeBack'>,
  request: ReadRequest,
  direction: Direction,
): Promise<ReadResult> {
  const reads = await Promise.all(
    request.members.map((m) => readMember(logs, m, request, direction)),
  );
  const sign = direction === 'forward' ? 1 : -1;
  const order = (a: EventKey, b: EventKey): number => sign * compareKeys(a, b);
  // Events beyond the nearest horizon may still have company unread in another stream.
  let horizon: EventKey | undefined;
  for (const read of reads) {
    if (read.horizon !== undefined && (horizon === undefined || order(read.horizon, horizon) < 0))
      horizon = read.horizon;
  }
  const known = reads
    .flatMap((r) => r.events)
    .filter((e) => horizon === undefined || order(e.key, horizon) <= 0)
    .sort((a, b) => order(a.key, b.key));
  const events: LogEvent[] = [];
  let bytes = 0;
  for (const event of known) {
    if (!request.want(event)) continue;
    const last = events[events.length - 1];
    // A page holds at least one event, however long.
    if (
      last !== undefined &&
      (events.length >= request.limit || bytes + event.message.length > request.maxBytes)
    )
      return { events, next: last.key };
    events.push(event);
    bytes += event.message.length;
  }
  return horizon === undefined ? { events } : { events, next: horizon };
}
