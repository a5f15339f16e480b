/**
 * @module
 * Composition root of the worker: config, logger, Redis, Docker, the environment pool, the
 * BullMQ consumers and the health/metrics app; then signals. Nothing else lives here.
 */
import { once } from 'node:events';
import { availableParallelism, hostname } from 'node:os';
import { createLogger, ERRORS, isAppError, watchDurability, type Logger } from '@lambdock/core';
import { createApp } from './app.js';
import { createCodeCache, MAX_UNZIPPED_BYTES } from './code/code-cache.js';
import { loadConfig, type WorkerConfig } from './config.js';
import { startConsumers, type Execution } from './consumers.js';
import type { ContainerDriver } from './containers/container-driver.js';
import { createDockerDriver } from './containers/docker-driver.js';
import { refuseFunctionPeers } from './containers/function-peers.js';
import { createImageResolver } from './containers/images.js';
import { WORKER_DEFAULTS } from './defaults.js';
import { createHeartbeat } from './fleet/heartbeat.js';
import { createOrphanReaper } from './fleet/orphan-reaper.js';
import { createContainerInvoker } from './invoke/container-invoker.js';
import { createEnvironmentFactory } from './invoke/environment-factory.js';
import { createEnvironmentPool } from './invoke/environment-pool.js';
import { createMetrics, type WorkerMetrics } from './metrics.js';
import { createRedisOffers } from './provisioned/provisioned-offers.js';
import { createProvisionedReconciler } from './provisioned/provisioned-reconciler.js';
import { createShutdown } from './shutdown.js';
import { connectStores, type Stores } from './stores.js';

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
  const { queues, background, sweepFailed } = startConsumers(
    config,
    stores,
    execution,
    logger,
    metrics,
  );
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
    every(
      WORKER_DEFAULTS.FAILED_SWEEP_INTERVAL_MS,
      () => sweepFailed(WORKER_DEFAULTS.FAILED_SWEEP_LOOKBACK_MS),
      logger,
      'failed event sweep',
    ),
  ];
  // Once at start, the whole set: failures of a time when no worker ran are caught too.
  sweepFailed().catch((err: unknown) => logger.warn({ err }, 'failed event sweep failed'));

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
