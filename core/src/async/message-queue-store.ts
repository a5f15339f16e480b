/**
 * @module
 * lambdock queues in Redis: per queue a hash of messages and a sorted set giving their order;
 * a queue exists while it holds messages. Sending is idempotent by message id (a redelivered
 * dead letter is stored once), and every change is one Lua script or transaction.
 */
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { AsyncKeys } from './keys.js';
import type { QueueMessage } from './queue-message.js';

const SEND = luaScript(`
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 0 then return 0 end
local seq = redis.call('INCR', KEYS[3])
redis.call('ZADD', KEYS[2], seq, ARGV[1])
redis.call('ZADD', KEYS[4], 0, ARGV[3])
return 1
`);

const REMOVE = luaScript(`
if redis.call('HDEL', KEYS[1], ARGV[1]) == 0 then return 0 end
redis.call('ZREM', KEYS[2], ARGV[1])
if redis.call('ZCARD', KEYS[2]) == 0 then redis.call('ZREM', KEYS[3], ARGV[2]) end
return 1
`);

export interface QueueSummary {
  name: string;
  messages: number;
}

export interface MessagePage {
  messages: QueueMessage[];
  /** The id to pass as `after` for the next page. */
  next?: string;
}

export class MessageQueueStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: AsyncKeys,
  ) {}

  /** False when a message with this id is already in the queue. */
  async send(queueName: string, message: QueueMessage): Promise<boolean> {
    const added = await SEND.run(
      this.redis,
      [
        this.keys.queueMessages(queueName),
        this.keys.queueOrder(queueName),
        this.keys.queueSequence,
        this.keys.queueNames,
      ],
      [message.MessageId, JSON.stringify(message), queueName],
    );
    return added === 1;
  }

  async list(): Promise<QueueSummary[]> {
    const names = await this.redis.zrange(this.keys.queueNames, 0, -1);
    const counts = await Promise.all(names.map((n) => this.redis.zcard(this.keys.queueOrder(n))));
    return names.map((name, i) => ({ name, messages: counts[i] ?? 0 }));
  }

  async count(queueName: string): Promise<number> {
    return this.redis.zcard(this.keys.queueOrder(queueName));
  }

  /** Oldest first, `limit` at most, starting after the message `after`. */
  async messages(queueName: string, limit: number, after?: string): Promise<MessagePage> {
    const order = this.keys.queueOrder(queueName);
    let min = '-inf';
    if (after !== undefined) {
      const score = await this.redis.zscore(order, after);
      if (score === null) return { messages: [] };
      min = `(${score}`;
    }
    const ids = await this.redis.zrangebyscore(order, min, '+inf', 'LIMIT', 0, limit + 1);
    const page = ids.slice(0, limit);
    const raws =
      page.length > 0 ? await this.redis.hmget(this.keys.queueMessages(queueName), ...page) : [];
    const messages = raws
      .filter((raw): raw is string => raw !== null)
      .map((raw) => JSON.parse(raw) as QueueMessage);
    const last = page[page.length - 1];
    return ids.length > limit && last !== undefined ? { messages, next: last } : { messages };
  }

  async get(queueName: string, messageId: string): Promise<QueueMessage | undefined> {
    const raw = await this.redis.hget(this.keys.queueMessages(queueName), messageId);
    return raw === null ? undefined : (JSON.parse(raw) as QueueMessage);
  }

  /** False when the message was not there. */
  async remove(queueName: string, messageId: string): Promise<boolean> {
    const removed = await REMOVE.run(
      this.redis,
      [this.keys.queueMessages(queueName), this.keys.queueOrder(queueName), this.keys.queueNames],
      [messageId, queueName],
    );
    return removed === 1;
  }

  /** Delete every message; returns how many there were. */
  async purge(queueName: string): Promise<number> {
    const results = await this.redis
      .multi()
      .zcard(this.keys.queueOrder(queueName))
      .del(this.keys.queueOrder(queueName), this.keys.queueMessages(queueName))
      .zrem(this.keys.queueNames, queueName)
      .exec();
    const [[, count] = [null, 0]] = results ?? [];
    return Number(count);
  }
}
