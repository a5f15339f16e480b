/**
 * @module
 * What "202 means stored" asks of Redis (docs/ARCHITECTURE.md, decision 4): `noeviction`, so
 * a full Redis refuses writes (503) instead of dropping accepted events and function records;
 * and the append-only file, so a restart keeps them. Every service checks this each time its
 * connection becomes ready (a restarted Redis may come back configured otherwise). An evicting
 * policy fails closed: the caller stops the service. No AOF is only warned of: snapshots or a
 * replica may be the operator's choice. A Redis that refuses CONFIG (managed services rename
 * it) cannot be checked, which is warned of too.
 */
import type { Redis } from 'ioredis';
import type { Logger } from '../logger.js';

export type Durability =
  | { kind: 'durable' }
  | { kind: 'evicting'; policy: string }
  | { kind: 'no-aof' }
  | { kind: 'unknown'; reason: string };

/** The two settings, from `CONFIG GET`. */
export async function checkDurability(redis: Pick<Redis, 'config'>): Promise<Durability> {
  let policy: string;
  let aof: string;
  try {
    const read = async (name: string): Promise<string> => {
      const pair = (await redis.config('GET', name)) as string[];
      return pair[1] ?? '';
    };
    [policy, aof] = await Promise.all([read('maxmemory-policy'), read('appendonly')]);
  } catch (err) {
    return { kind: 'unknown', reason: err instanceof Error ? err.message : String(err) };
  }
  if (policy !== 'noeviction') return { kind: 'evicting', policy };
  if (aof !== 'yes') return { kind: 'no-aof' };
  return { kind: 'durable' };
}

export interface DurabilityWatch {
  logger: Logger;
  /** Redis evicts keys: the service must stop (it is told why). */
  onEvicting(message: string): void;
}

/** Check on every `ready` of `redis`: now, if it is ready already, and after each reconnect. */
export function watchDurability(redis: Redis, watch: DurabilityWatch): void {
  const check = (): void => {
    checkDurability(redis).then(
      (found) => {
        switch (found.kind) {
          case 'evicting':
            watch.onEvicting(
              `Redis evicts keys (maxmemory-policy ${found.policy}): accepted events and ` +
                'functions could be dropped. Set maxmemory-policy noeviction.',
            );
            return;
          case 'no-aof':
            watch.logger.warn(
              'Redis has no append-only file (appendonly no): a Redis restart loses accepted events',
            );
            return;
          case 'unknown':
            watch.logger.warn(
              { reason: found.reason },
              'could not read Redis maxmemory-policy and appendonly; make sure they are noeviction and yes',
            );
            return;
          case 'durable':
            return;
        }
      },
      (err: unknown) => watch.logger.warn({ err }, 'Redis durability check failed'),
    );
  };
  redis.on('ready', check);
  if (redis.status === 'ready') check();
}
