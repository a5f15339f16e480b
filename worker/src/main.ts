/**
 * @module
 * Composition root of the worker: config, logger, Redis, Docker, the environment pool, the
 * BullMQ consumers and the health/metrics app; then signals. Nothing else lives here.
 */
import { once } from 'node:events';
import { availableParallelism, hostname } from 'node:os';
import {
  createLogger,
  createRedis,
  ERRORS,
  isAppError,
  QUEUES,
  watchDurability,
  type Logger,
} from '@lambdock/core';
import { createApp } from './app.js';
import { createAsyncEventDeps } from './async/async-event-deps.js';
import { watchFailedEvents } from './async/failed-events.js';
import { createCodeCache, MAX_UNZIPPED_BYTES, type CodeCache } from './code/code-cache.js';
import { loadConfig, type WorkerConfig } from './config.js';
import type { ContainerDriver } from './containers/container-driver.js';
import { createDockerDriver } from './containers/docker-driver.js';
import { createImageResolver, type ImageResolver } from './containers/images.js';
import { WORKER_DEFAULTS } from './defaults.js';
import { createHeartbeat } from './fleet/heartbeat.js';
import { createOrphanReaper } from './fleet/orphan-reaper.js';
import { createContainerInvoker } from './invoke/container-invoker.js';
import { createEnvironmentFactory } from './invoke/environment-factory.js';
import { createEnvironmentPool, type EnvironmentPool } from './invoke/environment-pool.js';
import type { Invoker } from './invoke/invoker.js';
import { createAsyncProcessor } from './jobs/async-processor.js';
import { createPrepareProcessor } from './jobs/prepare-processor.js';
import { startQueueWorkers, type QueueWorkers } from './jobs/queue-workers.js';
import { createMetrics, type WorkerMetrics } from './metrics.js';
import { createAsyncPlacement, type ClosablePlacement } from './provisioned/async-placement.js';
import { createRedisOffers } from './provisioned/provisioned-offers.js';
import { createProvisionedReconciler } from './provisioned/provisioned-reconciler.js';
import { refuseFunctionPeers } from './containers/function-peers.js';
import { createShutdown } from './shutdown.js';
import { connectStores, type Stores } from './stores.js';
import { createSyncJobs, queueWorkerSettings } from './sync-jobs.js';

interface Execution {
  images: ImageResolver;
  codeCache: CodeCache;
  pool: EnvironmentPool;
  invoker: Invoker;
}

function readConfig(): WorkerConfig {
  try {
    return loadConfig(process.env, { hostname: hostname(), pid: process.pid });
  } catch (err) {
    console.error(isAppError(err) ? err.message : err);
    process.exit(1);
  }
}

function every(
  ms: number,
  task: () => Promise<unknown>,
  logger: Logger,
  what: string,
): NodeJS.Timeout {
  const timer = setInterval(() => {
    task().catch((err: unknown) => logger.warn({ err }, `${what} failed`));
  }, ms);
  timer.unref();
  return timer;
}

/** Docker reachable, the functions network present, and the address runtimes will call. */
async function prepareDocker(config: WorkerConfig) {
  const driver = createDockerDriver(config.dockerSocket);
  await driver.ping().catch((err: unknown) => {
    throw new Error(`cannot reach Docker at ${config.dockerSocket} (set DOCKER_SOCKET)`, {
      cause: err,
    });
  });
  const network = await driver.ensureNetwork(config.functionNetwork, {
    internal: config.functionNetworkInternal,
  });
  const runtimeApiHost = config.runtimeApiHost ?? network.gateway;
  if (runtimeApiHost === undefined) {
    throw new Error(`network ${network.name} has no gateway address: set RUNTIME_API_HOST`);
  }
  return { driver, network: network.name, runtimeApiHost, functionsNetwork: network };
}

function buildExecution(
  config: WorkerConfig,
  docker: { driver: ContainerDriver; network: string; runtimeApiHost: string },
  stores: Stores,
  logger: Logger,
  metrics: WorkerMetrics,
): Execution {
  const { driver } = docker;
  const images = createImageResolver({
    driver,
    runtimeRepository: config.runtimeImageRepository,
    pullRegistry: config.imagePullRegistry,
  });
  const codeCache = createCodeCache({
    root: config.codeDir,
    source: stores.registry,
    maxUnzippedBytes: MAX_UNZIPPED_BYTES,
  });
  const settings = {
    workerId: config.workerId,
    network: docker.network,
    runtimeApiHost: docker.runtimeApiHost,
    restrictPeer: true,
    containerUser: config.containerUser,
    minCpuMillicores: config.minCpuMillicores,
    hostCpus: availableParallelism(),
    region: config.region,
    initTimeoutMs: config.initTimeoutMs,
    logCaptureLimitBytes: config.logCaptureLimitBytes,
    streamLimitBytes: config.streamLimitBytes,
  };
  const pool = createEnvironmentPool({
    // A sync caller's deadline (giveUpAt) is on Redis's clock, as the gateway set it.
    now: stores.clock.now,
    maxEnvironments: config.maxEnvironments,
    memoryBudgetMb: config.memoryBudgetMb,
    idleTimeoutMs: config.idleTimeoutMs,
    logger,
    create: createEnvironmentFactory({ driver, images, codeCache, logger, settings }),
    offers: createRedisOffers({
      store: stores.offers,
      workerId: config.workerId,
      logger: logger.child({ component: 'provisioned' }),
    }),
  });
  metrics.observePool(pool);
  const invoker = createContainerInvoker({
    pool,
    logger,
    logCaptureLimitBytes: config.logCaptureLimitBytes,
    onRunning: (delta) => metrics.concurrentExecutions.inc(delta),
    onAcquired: (name, acquired) => {
      if (acquired.provisioned) metrics.provisionedInvocations.inc({ function: name });
      if (acquired.spillover) metrics.spilloverInvocations.inc({ function: name });
    },
  });
  return { images, codeCache, pool, invoker };
}

/**
 * Async attempts of provisioned versions run on an idle provisioned environment of another
 * worker when none is idle here; replies come back on this worker's own channel, on a
 * connection of its own (a subscribed connection takes no other commands).
 */
function placeAsync(
  config: WorkerConfig,
  stores: Stores,
  execution: Execution,
  logger: Logger,
  metrics: WorkerMetrics,
): ClosablePlacement {
  const name = `lambdock-worker-${config.workerId}-replies`;
  const subscriber = createRedis(config.redisUrl, 'subscriber', name);
  subscriber.on('error', (err) =>
    logger.warn({ err: err.message, connection: name }, 'redis error'),
  );
  return createAsyncPlacement({
    redis: stores.redis,
    subscriber,
    prefix: config.keyPrefix,
    workerId: config.workerId,
    replyChannel: stores.keys.workerReplyChannel(config.workerId),
    pool: execution.pool,
    offers: stores.offers,
    copies: stores.copies,
    pickupMs: WORKER_DEFAULTS.PROVISIONED_REMOTE_PICKUP_MS,
    graceMs: WORKER_DEFAULTS.PROVISIONED_REMOTE_GRACE_MS,
    metrics,
    logger: logger.child({ component: 'provisioned' }),
    now: stores.clock.now,
  });
}

function startConsumers(
  config: WorkerConfig,
  stores: Stores,
  execution: Execution,
  logger: Logger,
  metrics: WorkerMetrics,
): { queues: QueueWorkers; background: Set<Promise<unknown>> } {
  const background = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>): void => {
    background.add(work);
    void work.finally(() => background.delete(work));
  };
  const { registry, versions, logStore, leases, redis } = stores;
  const common = {
    registry,
    versions,
    invoker: execution.invoker,
    logStore,
    metrics,
    logger,
    track,
    leaseTtlMs: config.leaseTtlMs,
    renewalsPerTtl: WORKER_DEFAULTS.LEASE_RENEWALS_PER_TTL,
  };
  const events = createAsyncEventDeps({
    redis,
    prefix: config.keyPrefix,
    ctx: config,
    registry,
    retryBaseDelayMs: config.asyncRetryBaseDelayMs,
    recordTtlS: config.asyncRecordTtlS,
    logger,
    now: stores.clock.now,
  });
  const placement = placeAsync(config, stores, execution, logger, metrics);
  const consumers = startQueueWorkers({
    // The stores' connection: a job's completion then shares a write with its reply.
    connection: redis,
    settings: queueWorkerSettings(config),
    processors: {
      sync: createSyncJobs(config, stores, execution.invoker, { metrics, logger, track }),
      async: createAsyncProcessor({ ...common, leases, events, placement, now: stores.clock.now }),
      prepare: createPrepareProcessor({
        registry,
        images: execution.images,
        codeCache: execution.codeCache,
        checkTimeoutMs: WORKER_DEFAULTS.PREPARE_CHECK_TIMEOUT_MS,
      }),
    },
    metrics,
    logger,
  });
  // Remote attempts end with the consumers: a forced close leaves them to stall recovery.
  const queues: QueueWorkers = {
    ...consumers,
    close: async (force) => {
      await consumers.close(force);
      await placement.close();
    },
  };
  const asyncWorker = queues.all.find((w) => w.name === QUEUES.INVOKE_ASYNC);
  if (asyncWorker !== undefined)
    watchFailedEvents(asyncWorker, {
      ...events,
      registry,
      metrics,
      logger,
      now: stores.clock.now,
      track,
    });
  return { queues, background };
}

async function main(): Promise<void> {
  const config = readConfig();
  const logger = createLogger({ service: 'worker', level: config.logLevel });
  const die = (what: string) => (err: unknown) => {
    logger.fatal({ err }, what);
    process.exit(1);
  };
  process.on('unhandledRejection', die('unhandled rejection'));
  process.on('uncaughtException', die('uncaught exception'));
  const metrics = createMetrics();
  const stores = connectStores(config, logger, metrics);
  watchDurability(stores.redis, {
    logger,
    onEvicting: (message) => die(message)(new Error(ERRORS.CONFIG.code)),
  });
  const docker = await prepareDocker(config);

  const heartbeat = createHeartbeat({
    redis: stores.redis,
    key: stores.keys.workers,
    workerId: config.workerId,
    ttlMs: WORKER_DEFAULTS.HEARTBEAT_TTL_MS,
  });
  await heartbeat.beat();
  const reaper = createOrphanReaper({
    driver: docker.driver,
    workers: () => heartbeat.workers(),
    workerId: config.workerId,
    logger,
    onReaped: (n) => metrics.orphansReaped.inc(n),
  });
  // Before any environment of ours exists: whatever carries our id is a previous life's.
  await reaper.sweep(true);

  const execution = buildExecution(config, docker, stores, logger, metrics);
  // No job before Redis's clock is read: an event's age is measured on it, never on this host's.
  await stores.clock.ready;
  const { queues, background } = startConsumers(config, stores, execution, logger, metrics);
  const provisioning = createProvisionedReconciler({
    store: stores.provisioned,
    fleet: stores.provisionedFleet,
    offers: stores.offers,
    versions: stores.versions,
    pool: execution.pool,
    workerId: config.workerId,
    lockTtlMs: WORKER_DEFAULTS.PROVISIONED_LOCK_TTL_MS,
    liveTtlMs: WORKER_DEFAULTS.PROVISIONED_LIVE_TTL_MS,
    claimTtlMs: WORKER_DEFAULTS.PROVISIONED_CLAIM_TTL_MS,
    retryDelayMs: WORKER_DEFAULTS.PROVISIONED_RETRY_DELAY_MS,
    logger: logger.child({ component: 'provisioned' }),
  });
  const timers = [
    every(WORKER_DEFAULTS.HEARTBEAT_INTERVAL_MS, () => heartbeat.beat(), logger, 'heartbeat'),
    every(
      WORKER_DEFAULTS.ORPHAN_SWEEP_INTERVAL_MS,
      () => reaper.sweep(false),
      logger,
      'orphan sweep',
    ),
    every(
      WORKER_DEFAULTS.PROVISIONED_RECONCILE_INTERVAL_MS,
      () => provisioning.tick(),
      logger,
      'provisioned concurrency',
    ),
    every(
      Math.min(config.idleTimeoutMs / 2, 30_000),
      () => execution.pool.reapIdle(),
      logger,
      'idle reaping',
    ),
  ];

  let draining = false;
  const dockerUp = (): Promise<boolean> =>
    docker.driver.ping().then(
      () => true,
      () => false,
    );
  const isReady = async (): Promise<boolean> =>
    !draining && stores.redis.status === 'ready' && (await dockerUp());
  stores.redis.on('ready', () => metrics.up.set(draining ? 0 : 1));
  metrics.up.set(stores.redis.status === 'ready' ? 1 : 0);
  const server = createApp({ metrics, isReady }).listen(config.port, config.host);
  let refusalLoggedAt = 0;
  const guarded = refuseFunctionPeers(server, docker.functionsNetwork, (remote) => {
    const at = Date.now();
    if (at - refusalLoggedAt < 60_000) return;
    refusalLoggedAt = at;
    logger.warn(
      { remote },
      'refused a connection from the functions network (logged once a minute)',
    );
  });
  if (!guarded) {
    logger.warn(
      { network: docker.network },
      'the functions network names no IPv4 subnet: functions may reach this health and metrics listener',
    );
  }
  await once(server, 'listening');
  logger.info(
    {
      port: config.port,
      workerId: config.workerId,
      network: docker.network,
      runtimeApiHost: docker.runtimeApiHost,
    },
    'worker started',
  );

  const shutdown = createShutdown({
    logger,
    drainTimeoutMs: config.drainTimeoutMs,
    begin: () => {
      draining = true;
      metrics.up.set(0);
      for (const t of timers) clearInterval(t);
      // First of all: gateways stop placing jobs on this worker's provisioned environments.
      const leaving = provisioning.stop().catch((err: unknown) => {
        logger.warn({ err }, 'could not leave provisioning; it expires by itself');
      });
      background.add(leaving);
    },
    queues,
    pool: execution.pool,
    background,
    heartbeat,
    server,
    redis: stores.redis,
  });
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  console.error('worker failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
