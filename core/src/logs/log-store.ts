/**
 * @module
 * Function logs, kept per function in a capped Redis stream (one entry per invocation
 * segment), readable by any gateway.
 */
import type { Redis } from 'ioredis';
import type { RedisKeys } from '../registry/keys.js';

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

  /** Several appends in one pipeline: one write to Redis (see log-batcher.ts). */
  async appendMany(
    entries: ReadonlyArray<{ functionName: string; requestId: string; text: string }>,
  ): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (const e of entries) pipeline.xadd(...this.xaddArgs(e.functionName, e.requestId, e.text));
    const results = (await pipeline.exec()) ?? [];
    const failed = results.find(([err]) => err !== null);
    if (failed?.[0]) throw failed[0];
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
