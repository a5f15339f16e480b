/**
 * @module
 * Composition root of the gateway: load config, build the logger, Redis clients, BullMQ queues,
 * the reply waiter and the app, listen, and drain on SIGTERM/SIGINT. Nothing else lives here.
 */
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import { hostname } from 'node:os';
import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import {
  batchWritesPerTurn,
  ConcurrencyLeases,
  DEFAULTS,
  FunctionRegistry,
  LayerStore,
  ERRORS,
  LogStore,
  PolicyStore,
  ProvisionedConcurrencyStore,
  ProvisionedFleetStore,
  ProvisionedOffersStore,
  VersionRegistry,
  createKeys,
  createLogger,
  createRedis,
  createRedisClock,
  createReplyCopies,
  isAppError,
  watchDurability,
  type Logger,
} from '@lambdock/core';
import {
  createBullmqInvocationQueue,
  createInvocationQueues,
  type InvocationQueues,
} from './adapters/bullmq-invocation-queue.js';
import { createDirectQueues, type DirectQueues } from './adapters/direct-queues.js';
import { failFast, guardRedis } from './adapters/fail-fast.js';
import {
  createProvisionedPlacement,
  type ProvisionedPlacement,
} from './adapters/provisioned-placement.js';
import { createRedisReplyWaiter, type RedisReplyWaiter } from './adapters/redis-reply-waiter.js';
import { createRedisSyncAdmission } from './adapters/sync-admission.js';
import { createRedisSources } from './adapters/redis-sources.js';
import { createRedisAsync } from './async/redis-async.js';
import { createGatewayListener } from './app.js';
import { loadConfig, type GatewayConfig } from './config.js';
import type { GatewayDeps } from './deps.js';
import { slowClientOptions, watchClientErrors } from './ingress/slow-clients.js';
import { createMetrics } from './metrics.js';
import { applySourcesFile } from './sources/sources-file.js';

/** Registry calls may carry a 50 MB zip: a far longer bound than the hot-path calls get. */
const REGISTRY_TIMEOUT_MS = 30_000;

function readConfig(): GatewayConfig {
  try {
    return loadConfig(process.env);
  } catch (err) {
    console.error(isAppError(err) ? err.message : err);
    process.exit(1);
  }
}

/** Redis would drop what the gateway accepted: refuse to run (ERRORS.md, LDK_ERR_CONFIG_INVALID). */
function stopFor(log: Logger): (message: string) => void {
  return (message) => {
    log.fatal({ code: ERRORS.CONFIG.code }, message);
    process.exit(1);
  };
}

function exitOnFatal(log: Logger): void {
  process.on('unhandledRejection', (err) => {
    log.fatal({ err }, 'unhandled rejection');
    process.exit(1);
  });
  process.on('uncaughtException', (err) => {
    log.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
}

interface Connections {
  /** Fails fast (no offline queue): queue adds, leases, reads, pings. */
  producer: Redis;
  /** Blocks in SUBSCRIBE for this gateway's reply channel. */
  subscriber: Redis;
}

function connect(config: GatewayConfig, gatewayId: string, log: Logger): Connections {
  const open = (role: 'producer' | 'subscriber', name: string): Redis => {
    const client = createRedis(config.redisUrl, role, name);
    client.on('error', (err: Error) =>
      log.warn({ err: err.message, connection: name }, 'redis error'),
    );
    return client;
  };
  const name = `lambdock-gateway-${gatewayId}`;
  return {
    producer: open('producer', name),
    subscriber: open('subscriber', `${name}-replies`),
  };
}

interface Stack {
  deps: GatewayDeps;
  queues: InvocationQueues;
  direct: DirectQueues;
  placement: ProvisionedPlacement;
  replies: RedisReplyWaiter;
  connections: Connections;
  draining: { value: boolean };
}

function buildStack(config: GatewayConfig, logger: Logger, log: Logger): Stack {
  const gatewayId = config.gatewayId ?? `${hostname()}-${randomBytes(4).toString('hex')}`;
  const keys = createKeys(config.keyPrefix);
  const connections = connect(config, gatewayId, log);
  const { producer } = connections;
  watchDurability(producer, { logger: log, onEvicting: stopFor(log) });
  // Accepted-at stamps on Redis's clock, as the workers measure event ages on it.
  const clock = createRedisClock(producer);
  // The producer connection fails fast: an add while Redis is away rejects (503, never 202).
  const queues = createInvocationQueues(producer, config.keyPrefix, (err, queue) =>
    log.warn({ err: err.message, queue }, 'queue error'),
  );
  const direct = createDirectQueues(producer, config.keyPrefix, (err) =>
    log.warn({ err: err.message }, 'direct queue error'),
  );
  const placement = createProvisionedPlacement({
    store: new ProvisionedOffersStore(producer, config.keyPrefix),
    refreshMs: config.provisionedRefreshMs,
    timeoutMs: config.redisTimeoutMs,
    logger: logger.child({ component: 'provisioned' }),
  });
  const copies = createReplyCopies(producer, keys);
  const fleet = new ProvisionedFleetStore(producer, config.keyPrefix);
  const queue = createBullmqInvocationQueue(queues, copies, config.redisTimeoutMs, {
    placement,
    queue: (workerId) => direct.get(workerId),
    workers: () => fleet.liveWorkers(),
  });
  const replyChannel = keys.replyChannel(gatewayId);
  const replies = createRedisReplyWaiter(
    connections.subscriber,
    replyChannel,
    logger.child({ component: 'replies' }),
  );
  const draining = { value: false };
  const metricsRegistry = new Registry();
  metricsRegistry.setDefaultLabels({ service: 'gateway' });
  const leases = new ConcurrencyLeases(
    producer,
    keys,
    config.accountConcurrency,
    config.leaseTtlMs,
  );
  const deps: GatewayDeps = {
    settings: { ...config, replyChannel },
    logger: logger.child({ component: 'http' }),
    now: clock.now,
    // Registry updates are a Lua compare-and-set, safe on the shared producer connection.
    registry: guardRedis(new FunctionRegistry(producer, keys), REGISTRY_TIMEOUT_MS),
    versions: guardRedis(new VersionRegistry(producer, keys), config.redisTimeoutMs),
    leases: guardRedis(leases, config.redisTimeoutMs),
    admission: createRedisSyncAdmission({
      redis: producer,
      keys,
      leases,
      sync: queues.sync,
      timeoutMs: config.redisTimeoutMs,
      provisioned: { covers: placement.covers, queue },
    }),
    logs: guardRedis(
      new LogStore(producer, keys, DEFAULTS.LOG_STREAM_MAX_ENTRIES),
      config.redisTimeoutMs,
    ),
    queue,
    replies,
    coalesce: batchWritesPerTurn(producer),
    metrics: createMetrics({ registry: metricsRegistry, queueDepths: () => queue.depths() }),
    sources: createRedisSources({
      redis: producer,
      keys,
      timeoutMs: config.redisTimeoutMs,
      refreshMs: config.sourcesRefreshMs,
      dedupeTtlS: config.webhookDedupeTtlS,
      now: clock.now,
    }),
    async: createRedisAsync(producer, config.keyPrefix, config.redisTimeoutMs),
    provisioned: guardRedis(
      new ProvisionedConcurrencyStore(producer, config.keyPrefix),
      config.redisTimeoutMs,
    ),
    policies: guardRedis(new PolicyStore(producer, keys), config.redisTimeoutMs),
    // A publish carries up to 50 MB of zip, like a function's code.
    layers: guardRedis(new LayerStore(producer, keys), REGISTRY_TIMEOUT_MS),
    readiness: {
      async isReady() {
        if (draining.value || !replies.isSubscribed()) return false;
        await failFast(producer.ping(), config.redisTimeoutMs);
        return true;
      },
    },
  };
  log.info({ gatewayId, replyChannel }, 'gateway identity');
  return { deps, queues, direct, placement, connections, replies, draining };
}

/** Stop taking work, let in-flight requests finish (bounded), close in reverse order. */
async function drain(
  server: Server,
  stack: Stack,
  config: GatewayConfig,
  log: Logger,
): Promise<void> {
  stack.draining.value = true;
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const cut = setTimeout(() => {
    log.warn('drain timeout reached; closing open connections');
    server.closeAllConnections();
  }, config.drainTimeoutMs);
  await closed;
  clearTimeout(cut);
  await stack.replies.close();
  stack.placement.close();
  await stack.direct.close();
  await Promise.all(
    (Object.values(stack.queues) as Queue[]).map((q) => q.close().catch(() => undefined)),
  );
  const { subscriber, producer } = stack.connections;
  await Promise.all([subscriber, producer].map((c) => c.quit().catch(() => undefined)));
}

/** Apply SOURCES_FILE before serving; a file with problems stops the start, listing them. */
async function applyFile(
  config: GatewayConfig,
  path: string,
  stack: Stack,
  log: Logger,
): Promise<void> {
  try {
    const { producer } = stack.connections;
    // The producer has no offline queue: wait until it is connected before writing.
    if (producer.status !== 'ready')
      await once(producer, 'ready', { signal: AbortSignal.timeout(30_000) });
    const applied = await applySourcesFile(path, stack.deps.sources.stores, {
      ctx: config,
      env: process.env,
      // Schedules start on Redis's clock, which the scheduler fires them on.
      nowMs: (stack.deps.now ?? Date.now)(),
    });
    log.info({ path, ...applied }, 'sources file applied');
  } catch (err) {
    log.fatal({ path, err: isAppError(err) ? err.message : err }, 'sources file not applied');
    process.exit(1);
  }
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ service: 'gateway', level: config.logLevel });
  const log = logger.child({ component: 'main' });
  exitOnFatal(log);
  const stack = buildStack(config, logger, log);
  if (config.sourcesFile !== undefined) await applyFile(config, config.sourcesFile, stack, log);
  const publicUrl = config.publicUrl ?? `http://127.0.0.1:${config.port}`;
  const server = createServer(
    slowClientOptions(config),
    createGatewayListener(stack.deps, { publicUrl }),
  );
  watchClientErrors(server, stack.deps.metrics.clientErrors);
  server.listen(config.port, config.host);
  await once(server, 'listening');
  log.info(
    {
      port: config.port,
      host: config.host,
      // Key ids only: the secrets never reach a log.
      accessKeys: [...config.accessKeys.keys()],
      signatures: config.accessKeys.size > 0 ? 'required' : 'not checked',
    },
    'gateway listening',
  );
  const shutdown = async (signal: string): Promise<void> => {
    if (stack.draining.value) return;
    log.info({ signal, drainTimeoutMs: config.drainTimeoutMs }, 'draining');
    await drain(server, stack, config, log);
    log.info('stopped');
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

await main();
