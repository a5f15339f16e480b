/**
 * @module
 * Composition root of the scheduler: config, logger, Redis, app, listen, signals.
 */
import { once } from 'node:events';
import { createLogger, createRedis, isAppError } from '@lambdock/core';
import { createApp } from './app.js';
import { loadConfig, type SchedulerConfig } from './config.js';
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
  const redis = createRedis(config.redisUrl, 'consumer', 'lambdock-scheduler');
  redis.on('error', (err) => logger.warn({ err: err.message }, 'redis error'));
  const metrics = createMetrics();
  let draining = false;
  const isReady = async (): Promise<boolean> => !draining && redis.status === 'ready';
  metrics.up.set(0);
  redis.on('ready', () => metrics.up.set(1));
  const app = createApp({ metrics, isReady });
  const server = app.listen(config.port, config.host);
  await once(server, 'listening');
  logger.info({ port: config.port }, 'scheduler listening');

  const shutdown = async (signal: string): Promise<void> => {
    if (draining) return;
    draining = true;
    logger.info({ signal }, 'shutting down');
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await redis.quit().catch(() => undefined);
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
