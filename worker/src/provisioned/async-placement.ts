/**
 * @module
 * The AsyncPlacement the async processor runs with, on Redis: the route (async-route.ts), the
 * producers of other workers' direct queues, and this worker's own reply channel, on which a
 * subscriber connection of its own waits for the replies (core's channel waiter, as gateways).
 */
import {
  createReplyWaiter,
  type Logger,
  type ProvisionedOffersStore,
  type ReplyCopies,
} from '@lambdock/core';
import type { Redis } from 'ioredis';
import type { ProvisionedPool } from '../invoke/provisioned-slots.js';
import type { AsyncPlacement } from '../jobs/execute.js';
import type { WorkerMetrics } from '../metrics.js';
import { createAsyncRouter } from './async-route.js';
import { createDirectProducers } from './direct-producers.js';
import { createRemoteAttempt } from './remote-attempt.js';

export interface AsyncPlacementOptions {
  /** Claims and direct-queue producers. */
  redis: Redis;
  /** Subscribed to `replyChannel` only (createRedis's `subscriber` role); closed with this. */
  subscriber: Redis;
  prefix: string;
  workerId: string;
  replyChannel: string;
  pool: Pick<ProvisionedPool, 'provisionedHere'>;
  offers: Pick<ProvisionedOffersStore, 'claim'>;
  /** Where the other worker keeps a reply that did not reach this one. */
  copies: ReplyCopies;
  pickupMs: number;
  graceMs: number;
  metrics: Pick<WorkerMetrics, 'remoteProvisionedRuns'>;
  logger: Logger;
  /** @defaultValue Date.now */
  now?: () => number;
}

export interface ClosablePlacement extends AsyncPlacement {
  /**
   * After the queue workers closed: settle waiting attempts, unsubscribe, close the producers
   * and the subscriber connection.
   */
  close(): Promise<void>;
}

export function createAsyncPlacement(o: AsyncPlacementOptions): ClosablePlacement {
  const { logger } = o;
  const replies = createReplyWaiter(o.subscriber, o.replyChannel, {
    malformed: (err) => logger.warn({ err }, 'dropped a malformed reply frame'),
    late: (requestId) => logger.debug({ requestId }, 'reply arrived after its attempt gave up'),
    subscribeFailed: (err) =>
      logger.error({ err, channel: o.replyChannel }, 'could not subscribe to the reply channel'),
  });
  const producers = createDirectProducers(o.redis, o.prefix, (err) =>
    logger.warn({ err: err.message }, 'direct queue error'),
  );
  const route = createAsyncRouter({
    pool: o.pool,
    offers: o.offers,
    workerId: o.workerId,
    logger,
  });
  const runRemote = createRemoteAttempt({
    queue: (workerId) => producers.get(workerId),
    replies,
    replyChannel: o.replyChannel,
    copies: o.copies,
    pickupMs: o.pickupMs,
    graceMs: o.graceMs,
    metrics: o.metrics,
    logger,
    ...(o.now === undefined ? {} : { now: o.now }),
  });
  return {
    route,
    runRemote,
    async close() {
      await replies.close();
      await producers.close();
      await o.subscriber.quit().catch(() => undefined);
    },
  };
}
