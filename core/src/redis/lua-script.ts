/**
 * @module
 * A Lua script run by its SHA-1 (`EVALSHA`), so the hot path does not ship the script's text on
 * every call; Redis answers `NOSCRIPT` after a restart or `SCRIPT FLUSH`, and the script is then
 * sent once with `EVAL`, which also caches it again.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

export interface LuaScript {
  readonly sha: string;
  run(
    redis: Redis,
    keys: readonly string[],
    args: readonly (string | number | Buffer)[],
  ): Promise<unknown>;
}

function isNoScript(err: unknown): boolean {
  return err instanceof Error && err.message.startsWith('NOSCRIPT');
}

export function luaScript(source: string): LuaScript {
  const sha = createHash('sha1').update(source).digest('hex');
  return Object.freeze({
    sha,
    async run(redis: Redis, keys: readonly string[], args: readonly (string | number | Buffer)[]) {
      try {
        return await redis.evalsha(sha, keys.length, ...keys, ...args);
      } catch (err) {
        if (!isNoScript(err)) throw err;
        return redis.eval(source, keys.length, ...keys, ...args);
      }
    },
  });
}
