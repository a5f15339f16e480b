/**
 * @module
 * What the scheduler remembers per rule: the last tick it fired and when. Written only by the
 * leader, with a compare so a tick never moves backwards; read by the API (LastFireTime).
 */
import type { Redis } from 'ioredis';
import { luaScript } from '../redis/lua-script.js';
import type { RedisKeys } from '../registry/keys.js';
import type { ScheduleState } from './records.js';

/** Record tick ARGV[2] for rule ARGV[1] unless a later or equal tick is already recorded. */
const ADVANCE = luaScript(`
local raw = redis.call('HGET', KEYS[1], ARGV[1])
if raw then
  local last = cjson.decode(raw).lastTickMs
  if last and last >= tonumber(ARGV[2]) then return 0 end
end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
return 1
`);

export class ScheduleStateStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(name: string): Promise<ScheduleState | undefined> {
    const raw = await this.redis.hget(this.keys.scheduleState, name);
    return raw === null ? undefined : (JSON.parse(raw) as ScheduleState);
  }

  async all(): Promise<Map<string, ScheduleState>> {
    const raw = await this.redis.hgetall(this.keys.scheduleState);
    return new Map(Object.entries(raw).map(([k, v]) => [k, JSON.parse(v) as ScheduleState]));
  }

  /** False when the tick was already recorded (another leader fired it). */
  async advance(name: string, state: ScheduleState): Promise<boolean> {
    const done = await ADVANCE.run(
      this.redis,
      [this.keys.scheduleState],
      [name, state.lastTickMs, JSON.stringify(state)],
    );
    return done === 1;
  }

  async delete(name: string): Promise<void> {
    await this.redis.hdel(this.keys.scheduleState, name);
  }
}
