/**
 * @module
 * Function logs, kept per function in a capped Redis stream (one entry per invocation
 * segment, with the log stream of the environment that ran it), readable by any gateway.
 * Beside the stream, an index of its log streams: the time of each one's first and last
 * event, trimmed with the stream, so listing them never reads the events.
 */
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { RedisKeys } from '../registry/keys.js';

/**
 * KEYS: for each entry, its function's stream, log stream index (sorted set, by last event)
 * and first-event hash. ARGV: the cap, then each entry's request id, text and log stream.
 * Each log stream of the batch is indexed once, with its first and last time in it. When the
 * cap trimmed the stream (it grew by less than it took: `MAXLEN ~` trims whole nodes, about
 * once in a hundred appends), the function's index drops the log streams whose last event is
 * older than the stream's oldest entry: all of their events are gone. Times stay strings (Lua's
 * numbers would print a large one in exponent form).
 */
const APPEND_MANY = luaScript(`
local cap = ARGV[1]
local functions = {}
for i = 1, #KEYS, 3 do
  local a = i + 1
  local name = ARGV[a + 2]
  local f = functions[KEYS[i]]
  if not f then
    f = { index = KEYS[i + 1], starts = KEYS[i + 2], spans = {}, added = 0 }
    f.length = redis.call('XLEN', KEYS[i])
    functions[KEYS[i]] = f
  end
  local id = redis.call('XADD', KEYS[i], 'MAXLEN', '~', cap, '*',
    'requestId', ARGV[a], 'text', ARGV[a + 1], 'stream', name)
  local ms = string.match(id, '^(%d+)')
  f.added = f.added + 1
  local span = f.spans[name]
  if span then span.last = ms else f.spans[name] = { first = ms, last = ms } end
end
for key, f in pairs(functions) do
  for name, span in pairs(f.spans) do
    redis.call('ZADD', f.index, span.last, name)
    redis.call('HSETNX', f.starts, name, span.first)
  end
  local oldest = nil
  if redis.call('XLEN', key) < f.length + f.added then
    oldest = redis.call('XRANGE', key, '-', '+', 'COUNT', 1)[1]
  end
  if oldest then
    local before = '(' .. string.match(oldest[1], '^(%d+)')
    local gone = redis.call('ZRANGEBYSCORE', f.index, '-inf', before, 'LIMIT', 0, 1000)
    for j = 1, #gone do
      redis.call('ZREM', f.index, gone[j])
      redis.call('HDEL', f.starts, gone[j])
    end
  end
end
return #KEYS / 3
`);

/** Entries stored before log streams were recorded name this one. */
export const UNNAMED_LOG_STREAM = 'unnamed';

export interface LogAppendEntry {
  readonly functionName: string;
  readonly requestId: string;
  readonly text: string;
  /** The environment's log stream (AWS_LAMBDA_LOG_STREAM_NAME). */
  readonly logStream: string;
}

export interface LogEntry {
  /** The Redis stream id: `<epoch ms>-<sequence>`. */
  id: string;
  requestId: string;
  timestamp: number;
  text: string;
  logStream: string;
}

export interface LogStreamInfo {
  name: string;
  firstEventTimestamp: number;
  lastEventTimestamp: number;
}

function toEntry([id, fields]: [string, string[]]): LogEntry {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? '', fields[i + 1] ?? '');
  return {
    id,
    requestId: map.get('requestId') ?? '',
    timestamp: Number(id.split('-')[0]),
    text: map.get('text') ?? '',
    logStream: map.get('stream') || UNNAMED_LOG_STREAM,
  };
}

export class LogStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly maxEntries: number,
  ) {}

  async append(entry: LogAppendEntry): Promise<void> {
    await this.appendMany([entry]);
  }

  /**
   * Several appends as one command (see log-batcher.ts): a command per append, or a pipeline
   * built per batch, cost the worker more than the appends themselves.
   */
  async appendMany(entries: readonly LogAppendEntry[]): Promise<void> {
    if (entries.length === 0) return;
    const keys: string[] = [];
    const args = [String(this.maxEntries)];
    for (const e of entries) {
      keys.push(
        this.keys.logs(e.functionName),
        this.keys.logStreams(e.functionName),
        this.keys.logStreamStarts(e.functionName),
      );
      args.push(e.requestId, e.text, e.logStream);
    }
    await APPEND_MANY.run(this.redis, keys, args);
  }

  /** Entries after `afterId` (exclusive), oldest first. */
  read(functionName: string, limit: number, afterId?: string): Promise<LogEntry[]> {
    return this.range(functionName, afterId === undefined ? '-' : `(${afterId}`, '+', limit);
  }

  /** Entries from `start` to `end` (stream ids; `(` before one excludes it), oldest first. */
  async range(
    functionName: string,
    start: string,
    end: string,
    limit: number,
  ): Promise<LogEntry[]> {
    const rows = await this.redis.xrange(this.keys.logs(functionName), start, end, 'COUNT', limit);
    return rows.map(toEntry);
  }

  /** Entries from `end` back to `start`, newest first. */
  async rangeBack(
    functionName: string,
    end: string,
    start: string,
    limit: number,
  ): Promise<LogEntry[]> {
    const rows = await this.redis.xrevrange(
      this.keys.logs(functionName),
      end,
      start,
      'COUNT',
      limit,
    );
    return rows.map(toEntry);
  }

  /** The time of the function's oldest stored entry; undefined when it has none. */
  async oldest(functionName: string): Promise<number | undefined> {
    const [first] = await this.range(functionName, '-', '+', 1);
    return first?.timestamp;
  }

  /** The function's log streams that still have events, by name. */
  async streams(functionName: string): Promise<LogStreamInfo[]> {
    const [lasts, firsts] = await Promise.all([
      this.redis.zrange(this.keys.logStreams(functionName), 0, -1, 'WITHSCORES'),
      this.redis.hgetall(this.keys.logStreamStarts(functionName)),
    ]);
    const streams: LogStreamInfo[] = [];
    for (let i = 0; i + 1 < lasts.length; i += 2) {
      const name = lasts[i] ?? '';
      const last = Number(lasts[i + 1]);
      streams.push({
        name,
        firstEventTimestamp: Number(firsts[name] ?? last),
        lastEventTimestamp: last,
      });
    }
    return streams.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async delete(functionName: string): Promise<void> {
    await this.redis.del(
      this.keys.logs(functionName),
      this.keys.logStreams(functionName),
      this.keys.logStreamStarts(functionName),
    );
  }
}
