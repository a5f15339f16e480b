/**
 * @module
 * Composition root of the scheduler: config, logger, Redis, the async invoke queue, the leader
 * lock and the firing loop, the health app, signals.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import {
  ASYNC_JOB_OPTIONS,
  ERRORS,
  JOB_NAMES,
  QUEUES,
  ScheduleStateStore,
  SourceStore,
  createKeys,
  createLogger,
  createRedis,
  createRedisClock,
  isAppError,
  watchDurability,
  type InvokeJobData,
  type ScheduleRecord,
} from '@lambdock/core';
import { createApp } from './app.js';
import { loadConfig, type SchedulerConfig } from './config.js';
import { createLeaderLock } from './fire/leader-lock.js';
import { createSchedulerLoop } from './fire/scheduler-loop.js';
import { createMetrics } from './metrics.js';

function readConfig(): SchedulerConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    console.error(isAppError(err) ? err.message : err);
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ service: 'scheduler', level: config.logLevel });
  process.on('unhandledRejection', (err) => {
    logger.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });
  const me = `${hostname()}-${randomBytes(4).toString('hex')}`;
  const redis = createRedis(config.redisUrl, 'producer', `lambdock-scheduler-${me}`);
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  watchDurability(redis, {
    logger,
    onEvicting: (message) => {
      logger.fatal({ code: ERRORS.CONFIG.code }, message);
      process.exit(1);
    },
  });
  const keys = createKeys(config.keyPrefix);
  const queue = new Queue<InvokeJobData>(QUEUES.INVOKE_ASYNC, {
    connection: redis,
    prefix: config.keyPrefix,
  });
  queue.on('error', (err: Error) => logger.warn({ err: err.message }, 'queue error'));
  const metrics = createMetrics();
  // Ticks fire and events are stamped on Redis's clock, as the workers measure ages on it.
  const clock = createRedisClock(redis);
  const loop = createSchedulerLoop({
    lock: createLeaderLock(redis, keys.schedulerLeader, me, config.lockTtlMs),
    rules: new SourceStore<ScheduleRecord>(redis, keys, 'schedules'),
    states: new ScheduleStateStore(redis, keys),
    async enqueue(job) {
      await queue.add(JOB_NAMES.INVOKE, job, { ...ASYNC_JOB_OPTIONS, jobId: job.requestId });
    },
    metrics,
    logger: logger.child({ component: 'loop' }),
    now: clock.now,
    settings: { ...config, maxPerPass: 100 },
  });
  let draining = false;
  const isReady = async (): Promise<boolean> => !draining && redis.status === 'ready';
  metrics.up.set(0);
  redis.on('ready', () => metrics.up.set(1));
  const app = createApp({ metrics, isReady });
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  logger.info({ port: config.port, replica: me }, 'scheduler listening');
  await clock.ready;
  loop.start();

  const shutdown = async (signal: string): Promise<void> => {
    if (draining) return;
    draining = true;
    logger.info({ signal }, 'shutting down');
    await loop.stop();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await queue.close().catch(() => undefined);
    await redis.quit().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
