/**
 * @module
 * Function logs, kept per function in a capped Redis stream (one entry per invocation
 * segment), readable by any gateway.
 */
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { RedisKeys } from '../registry/keys.js';

/** KEYS: each entry's stream. ARGV: the cap, then each entry's request id and text. */
const APPEND_MANY = luaScript(`
for i = 1, #KEYS do
  redis.call('XADD', KEYS[i], 'MAXLEN', '~', ARGV[1], '*',
    'requestId', ARGV[2 * i], 'text', ARGV[2 * i + 1])
end
return #KEYS
`);

export interface LogEntry {
  id: string;
  requestId: string;
  timestamp: number;
  text: string;
}

export class LogStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly maxEntries: number,
  ) {}

  async append(functionName: string, requestId: string, text: string): Promise<void> {
    await this.redis.xadd(...this.xaddArgs(functionName, requestId, text));
  }

  /**
   * Several appends as one command (see log-batcher.ts): a command per append, or a pipeline
   * built per batch, cost the worker more than the appends themselves.
   */
  async appendMany(
    entries: ReadonlyArray<{ functionName: string; requestId: string; text: string }>,
  ): Promise<void> {
    if (entries.length === 0) return;
    const keys = entries.map((e) => this.keys.logs(e.functionName));
    const args = [String(this.maxEntries)];
    for (const e of entries) args.push(e.requestId, e.text);
    await APPEND_MANY.run(this.redis, keys, args);
  }

  private xaddArgs(
    functionName: string,
    requestId: string,
    text: string,
  ): [string, 'MAXLEN', '~', string, '*', string, string, string, string] {
    const cap = String(this.maxEntries);
    return [
      this.keys.logs(functionName),
      'MAXLEN',
      '~',
      cap,
      '*',
      'requestId',
      requestId,
      'text',
      text,
    ];
  }

  /** Entries after `afterId` (exclusive), oldest first. */
  async read(functionName: string, limit: number, afterId?: string): Promise<LogEntry[]> {
    const start = afterId === undefined ? '-' : `(${afterId}`;
    const rows = await this.redis.xrange(this.keys.logs(functionName), start, '+', 'COUNT', limit);
    return rows.map(([id, fields]) => {
      const map = new Map<string, string>();
      for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] ?? '', fields[i + 1] ?? '');
      return {
        id,
        requestId: map.get('requestId') ?? '',
        timestamp: Number(id.split('-')[0]),
        text: map.get('text') ?? '',
      };
    });
  }

  async delete(functionName: string): Promise<void> {
    await this.redis.del(this.keys.logs(functionName));
  }
}
