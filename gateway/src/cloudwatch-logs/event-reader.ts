/**
 * @module
 * Reading a log group's events in order, forward or backward, across the streams of its
 * functions. Stored entries (an invocation's output each, up to the worker's capture limit) are
 * read a few at a time and the read stops once the page is full, so a small page never loads a
 * large history. A call reads about 500 entries or 8 MB of their text at most (beyond a first
 * read of each function, and at least enough to move past where it started); a page that found
 * too few matching events by then says how far it looked, so the next page goes on from there.
 * Each function's entries come in its stream's order; a group of several functions is merged up
 * to the point every one of them was read to (the frontier), so no event is skipped.
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

/** Stored entries read from one function's stream at a time, at most. */
export const ENTRIES_PER_CHUNK = 16;
/** A function's first read: small, so a group of many functions stays near the budget. */
const FIRST_CHUNK = 4;
/** What one call may read, all functions together: entries, and bytes of their text. */
export const READ_BUDGET = { entries: 500, textBytes: 8 * 1024 * 1024 } as const;
/** What an event costs against a page's size: its UTF-8 bytes plus 26, as AWS counts it. */
const EVENT_OVERHEAD_BYTES = 26;

export type Direction = 'forward' | 'backward';

export interface ReadRequest {
  readonly members: readonly GroupMember[];
  /** Forward: only events after this key; backward: only events before it. */
  readonly from?: EventKey;
  /** Epoch ms bounds, both inclusive. */
  readonly startTime?: number;
  readonly endTime?: number;
  readonly want: (event: LogEvent) => boolean;
  readonly limit: number;
  /** A page's size in bytes; it holds at least one event, however long. */
  readonly maxBytes: number;
}

export interface ReadResult {
  /** In the direction read: oldest first forward, newest first backward. */
  readonly events: LogEvent[];
  /** Where the next page starts (after it forward, before it backward); undefined: nothing left. */
  readonly next?: EventKey;
}

interface Cursor {
  readonly member: GroupMember;
  /** The next read's bound on the near side: inclusive at first, then past the last entry read. */
  bound: string;
  done: boolean;
  /** Events read and not yet settled. */
  pending: LogEvent[];
  /** Past every entry read so far; undefined until the first read. */
  reached?: EventKey;
}

type Reader = Pick<LogReader, 'range' | 'rangeBack'>;

/** The near bound of a first read: the later (forward) or earlier (backward) of `from` and the time. */
function firstBound(request: ReadRequest, direction: Direction): string {
  const { from } = request;
  if (direction === 'forward') {
    const low = request.startTime;
    if (from === undefined) return low === undefined ? '-' : String(low);
    return low === undefined || from.ms >= low ? streamIdOf(from) : String(low);
  }
  const high = request.endTime;
  if (from === undefined) return high === undefined ? '+' : String(high);
  return high === undefined || from.ms <= high ? streamIdOf(from) : String(high);
}

class EventReader {
  private readonly cursors: Cursor[];
  private entriesRead = 0;
  private textRead = 0;

  constructor(
    private readonly logs: Reader,
    private readonly request: ReadRequest,
    private readonly direction: Direction,
  ) {
    const bound = firstBound(request, direction);
    this.cursors = request.members.map((member) => ({ member, bound, done: false, pending: [] }));
  }

  /** `a` comes before `b` in the reading order. */
  order(a: EventKey, b: EventKey): number {
    return this.direction === 'forward' ? compareKeys(a, b) : compareKeys(b, a);
  }

  /** `key` lies past where the read started (a page ending there has moved on). */
  private pastFrom(key: EventKey): boolean {
    const { from } = this.request;
    return from === undefined || this.order(key, from) > 0;
  }

  /** How many entries the next read of `cursor` takes: what the budget has left room for. */
  private chunkSize(cursor: Cursor): number {
    if (cursor.reached === undefined) return FIRST_CHUNK;
    const entriesLeft = READ_BUDGET.entries - this.entriesRead;
    const average = this.entriesRead === 0 ? 0 : this.textRead / this.entriesRead;
    const textLeft = READ_BUDGET.textBytes - this.textRead;
    const byText = average === 0 ? ENTRIES_PER_CHUNK : Math.floor(textLeft / average);
    return Math.max(1, Math.min(ENTRIES_PER_CHUNK, entriesLeft, byText));
  }

  private async readChunk(cursor: Cursor): Promise<void> {
    const { name, fn } = cursor.member;
    const { startTime, endTime } = this.request;
    const count = this.chunkSize(cursor);
    const entries =
      this.direction === 'forward'
        ? await this.logs.range(
            name,
            cursor.bound,
            endTime === undefined ? '+' : String(endTime),
            count,
          )
        : await this.logs.rangeBack(
            name,
            cursor.bound,
            startTime === undefined ? '-' : String(startTime),
            count,
          );
    for (const entry of entries) {
      this.entriesRead += 1;
      this.textRead += Buffer.byteLength(entry.text, 'utf8');
      for (const event of eventsOf(entry, fn))
        if (this.pastFrom(event.key)) cursor.pending.push(event);
    }
    const last = entries[entries.length - 1];
    if (entries.length < count) cursor.done = true;
    if (last === undefined) return;
    cursor.bound = `(${last.id}`;
    cursor.reached = this.direction === 'forward' ? entryEnd(last.id, fn) : entryStart(last.id, fn);
  }

  /** The open cursor read the least far (one not read yet first); undefined when all are done. */
  private laggard(): Cursor | undefined {
    let behind: Cursor | undefined;
    for (const c of this.cursors) {
      if (c.done) continue;
      if (c.reached === undefined) return c;
      if (behind?.reached === undefined || this.order(c.reached, behind.reached) < 0) behind = c;
    }
    return behind;
  }

  private withinBudget(): boolean {
    return this.entriesRead < READ_BUDGET.entries && this.textRead < READ_BUDGET.textBytes;
  }

  /** Take, in order, the pending events no unread entry can precede. */
  private settle(frontier: EventKey | undefined): LogEvent[] {
    const settled: LogEvent[] = [];
    for (const c of this.cursors) {
      const keep: LogEvent[] = [];
      for (const e of c.pending) {
        if (frontier === undefined || this.order(e.key, frontier) <= 0) settled.push(e);
        else keep.push(e);
      }
      c.pending = keep;
    }
    return settled.sort((a, b) => this.order(a.key, b.key));
  }

  async read(): Promise<ReadResult> {
    const { want, limit, maxBytes } = this.request;
    const events: LogEvent[] = [];
    let bytes = 0;
    for (;;) {
      const behind = this.laggard();
      // Every function is read once, whatever the budget; after that, within it, or until
      // the page can end past where it started (so a client following tokens always ends).
      if (
        behind !== undefined &&
        (behind.reached === undefined || this.withinBudget() || !this.pastFrom(behind.reached))
      )
        await this.readChunk(behind);
      const lagging = this.laggard();
      if (lagging !== undefined && lagging.reached === undefined) continue;
      // Where every open stream has been read to: events up to it are final, in order.
      // Undefined: every stream is read to its end.
      const frontier = lagging?.reached;
      for (const event of this.settle(frontier)) {
        if (!want(event)) continue;
        const size = Buffer.byteLength(event.message, 'utf8') + EVENT_OVERHEAD_BYTES;
        const last = events[events.length - 1];
        if (last !== undefined && bytes + size > maxBytes) return { events, next: last.key };
        events.push(event);
        bytes += size;
        // A full page ends here; the next one goes on from this event.
        if (events.length >= limit || bytes >= maxBytes) return { events, next: event.key };
      }
      if (frontier === undefined) return { events };
      if (!this.withinBudget() && this.pastFrom(frontier)) return { events, next: frontier };
    }
  }
}

export function readEvents(
  logs: Reader,
  request: ReadRequest,
  direction: Direction,
): Promise<ReadResult> {
  return new EventReader(logs, request, direction).read();
}
