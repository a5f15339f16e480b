/**
 * Function logs in memory, with a Redis stream's ids and range semantics (`-`, `+`, a time
 * alone, `(` for an exclusive bound) and the log stream index, as core's LogStore keeps them.
 */
import { UNNAMED_LOG_STREAM, type LogEntry, type LogStreamInfo } from '@lambdock/core';
import type { LogReader } from '../../src/deps.js';

type Bound = { ms: number; seq: number; exclusive: boolean };

function parseBound(id: string, edge: 'start' | 'end'): Bound {
  if (id === '-') return { ms: -1, seq: 0, exclusive: false };
  if (id === '+') return { ms: Number.MAX_SAFE_INTEGER, seq: 0, exclusive: false };
  const exclusive = id.startsWith('(');
  const [ms, seq] = (exclusive ? id.slice(1) : id).split('-');
  const whole = seq === undefined ? (edge === 'start' ? 0 : Number.MAX_SAFE_INTEGER) : Number(seq);
  return { ms: Number(ms), seq: whole, exclusive };
}

function cmp(entry: LogEntry, bound: Bound): number {
  const [ms, seq] = entry.id.split('-').map(Number) as [number, number];
  return ms - bound.ms || seq - bound.seq;
}

export class MemoryLogs implements LogReader {
  readonly entries = new Map<string, LogEntry[]>();
  readonly deleted: string[] = [];

  /** Store an entry at `ms` (the next sequence number of that millisecond). */
  add(
    functionName: string,
    ms: number,
    text: string,
    logStream = UNNAMED_LOG_STREAM,
    requestId = `r${ms}`,
  ): LogEntry {
    const list = this.entries.get(functionName) ?? [];
    const seq = list.filter((e) => e.timestamp === ms).length;
    const entry = { id: `${ms}-${seq}`, requestId, timestamp: ms, text, logStream };
    list.push(entry);
    list.sort((a, b) => cmp(a, parseBound(b.id, 'start')));
    this.entries.set(functionName, list);
    return entry;
  }

  async read(functionName: string, limit: number, afterId?: string): Promise<LogEntry[]> {
    return this.range(functionName, afterId === undefined ? '-' : `(${afterId}`, '+', limit);
  }

  async range(
    functionName: string,
    start: string,
    end: string,
    limit: number,
  ): Promise<LogEntry[]> {
    const low = parseBound(start, 'start');
    const high = parseBound(end, 'end');
    return (this.entries.get(functionName) ?? [])
      .filter((e) => (low.exclusive ? cmp(e, low) > 0 : cmp(e, low) >= 0))
      .filter((e) => (high.exclusive ? cmp(e, high) < 0 : cmp(e, high) <= 0))
      .slice(0, limit);
  }

  async rangeBack(
    functionName: string,
    end: string,
    start: string,
    limit: number,
  ): Promise<LogEntry[]> {
    const all = await this.range(functionName, start, end, Number.MAX_SAFE_INTEGER);
    return all.reverse().slice(0, limit);
  }

  async oldest(functionName: string): Promise<number | undefined> {
    return this.entries.get(functionName)?.[0]?.timestamp;
  }

  async streams(functionName: string): Promise<LogStreamInfo[]> {
    const found = new Map<string, LogStreamInfo>();
    for (const e of this.entries.get(functionName) ?? []) {
      const seen = found.get(e.logStream);
      found.set(e.logStream, {
        name: e.logStream,
        firstEventTimestamp: seen?.firstEventTimestamp ?? e.timestamp,
        lastEventTimestamp: e.timestamp,
      });
    }
    return [...found.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
  }

  async delete(functionName: string): Promise<void> {
    this.deleted.push(functionName);
    this.entries.delete(functionName);
  }
}
