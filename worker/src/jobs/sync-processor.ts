/**
 * @module
 * Sync invoke jobs. The gateway already holds a concurrency lease and waits on its reply
 * channel: keep the lease alive while running, publish the result there, keep a copy of it for
 * the caller's fallback (reply-copies.ts; BullMQ removes the job as it completes), release the
 * lease. Release, copy and reply go out as one command (reply-delivery.ts), which does not hold
 * up the job's completion; under load they share one write with it. A job whose caller already
 * gave up is skipped. A caller that asked for a stream gets each chunk of a streamed response on
 * its channel as it arrives, published on the same connection as the final reply, so Redis
 * delivers them in order and before it.
 * Logs gathered for a batch leave in a lone job's reply write, after the reply.
 * Another worker running an async attempt here (on a provisioned environment it claimed) sends
 * a job like a gateway's, with its own reply channel and no lease: its attempt holds the lease.
 */
import {
  ERRORS,
  noCoalescing,
  type Coalesce,
  encodeChunk,
  type InvokeJobData,
  type Logger,
  type QualifierLookups,
  type ReplyDelivery,
} from '@lambdock/core';
import type { Job } from 'bullmq';
import type { WorkerMetrics } from '../metrics.js';
import { EXECUTED_VERSION, execute, type ExecuteDeps, type Execution } from './execute.js';
import { holdLease, type LeaseStore } from './lease-keeper.js';
import { createRecordCache } from './record-cache.js';
import { encode, replyFor, type Reply } from './reply.js';

export interface SyncProcessorDeps extends ExecuteDeps {
  leases: LeaseStore;
  /** Publishes a streamed response's chunks (on the replies' connection, so they come first). */
  publisher: { publish(channel: string, message: Buffer): Promise<unknown> };
  /** Releases the lease, keeps the reply's copy for a caller that missed it, publishes it. */
  replies: ReplyDelivery;
  /** Sends the reply and a lone job's logs in one write (the replies' connection). */
  coalesce?: Coalesce;
  /**
   * Used instead, when given, while other sync jobs run here: holds that write until the end
   * of the turn, so BullMQ's completion of this job (on the same connection) and other jobs'
   * replies join it. A lone job's reply goes at once: Redis would otherwise run the completion
   * first.
   */
  coalesceUnderLoad?: Coalesce;
  /**
   * Sends the log appends gathered so far (earlier invocations' logs waiting out their batch's
   * window). Called inside a lone job's reply write, so they leave in it instead of in a write
   * of their own in the middle of the next invocation.
   */
  flushLogs?: () => Promise<void>;
  leaseTtlMs: number;
  renewalsPerTtl: number;
  metrics: WorkerMetrics;
  logger: Logger;
  now?: () => number;
}

const internalFailure = (data: InvokeJobData): Execution => ({
  kind: 'rejected',
  rejection: {
    code: ERRORS.INTERNAL.code,
    message: 'An internal error occurred.',
    retryable: false,
  },
  executedVersion: data.qualifier || EXECUTED_VERSION,
});

/** Resolves nothing for BullMQ to keep: the reply went out, and its copy, on their own. */
export type SyncProcessor = (job: Job<InvokeJobData>) => Promise<null>;

interface ChunkRelay {
  onChunk: (data: Buffer, contentType: string | undefined) => void;
  count(): number;
  bytes(): number;
}

function relayChunks(deps: SyncProcessorDeps, data: InvokeJobData): ChunkRelay | undefined {
  const { replyTo, requestId } = data;
  if (data.stream !== true || replyTo === undefined) return undefined;
  let seq = 0;
  let bytes = 0;
  return {
    onChunk(chunk, contentType) {
      bytes += chunk.length;
      const frame = encodeChunk({
        requestId,
        seq: seq++,
        data: chunk,
        ...(contentType === undefined ? {} : { contentType }),
      });
      deps.track(
        deps.publisher.publish(replyTo, frame).catch((err: unknown) => {
          deps.logger.warn({ err, requestId }, 'chunk publish failed');
        }),
      );
    },
    count: () => seq,
    bytes: () => bytes,
  };
}

/**
 * The header as replyFor built it, plus: how many chunks (and bytes) were relayed before it,
 * and a function error's type (a worker that sent an async attempt here writes it into the
 * event's record).
 */
function withExtras(built: Reply, execution: Execution, relay: ChunkRelay | undefined): Reply {
  const chunks = relay?.count() ?? 0;
  const errorType = execution.kind === 'ran' ? execution.result.errorType : undefined;
  if (chunks === 0 && errorType === undefined) return built;
  const header = {
    ...built.header,
    ...(chunks === 0 ? {} : { streamedChunks: chunks, streamedBytes: relay?.bytes() ?? 0 }),
    ...(errorType === undefined ? {} : { errorType }),
  };
  return { ...built, header };
}

export function createSyncProcessor(deps: SyncProcessorDeps): SyncProcessor {
  const now = deps.now ?? Date.now;
  const records = createRecordCache({
    get: (name) => deps.registry.get(name),
    getVersion: (name, version) => deps.versions.getVersion(name, version),
  });
  let running = 0;
  return async (job) => {
    running++;
    const data = job.data;
    const startedAt = now();
    deps.metrics.queueWait.observe(
      { queue: 'sync' },
      Math.max(0, startedAt - data.acceptedAt) / 1000,
    );
    const lease = data.leaseId
      ? holdLease(
          deps.leases,
          data.functionName,
          data.leaseId,
          deps.leaseTtlMs / deps.renewalsPerTtl,
          deps.logger,
        )
      : undefined;
    try {
      if (data.replyDeadline !== undefined && startedAt > data.replyDeadline) {
        deps.logger.info({ requestId: data.requestId, jobId: job.id }, 'caller gone, job skipped');
        return null;
      }
      // The gateway resolved the qualifier: the job names `$LATEST` or a version, and the
      // generation of that record.
      const registry = { get: (name: string) => records.get(name, data.generation) };
      const versions: QualifierLookups = {
        getVersion: (name, version) => records.getVersion(name, version, data.generation),
        getAlias: (name, alias) => deps.versions.getAlias(name, alias),
      };
      const relay = relayChunks(deps, data);
      const execution = await execute(
        { ...deps, registry, versions },
        data,
        'sync',
        // Stop waiting for capacity once nobody waits for the answer.
        data.replyDeadline,
        relay?.onChunk,
      ).catch((err: unknown) => {
        // The caller is waiting: tell it now rather than let it time out.
        deps.logger.error(
          { err, requestId: data.requestId },
          'sync invocation failed unexpectedly',
        );
        return internalFailure(data);
      });
      const built = await replyFor(
        data.requestId,
        execution.executedVersion,
        execution,
        data.logTail,
      );
      const reply = withExtras(built, execution, relay);
      // The lease's release, the reply's copy and the reply leave as one command
      // (reply-delivery.ts), in that order: a caller who invokes again as soon as it has the
      // reply never meets its own old lease, and the copy is there whenever the job is gone.
      // A lone job's gathered logs follow in the same write.
      const { replyTo } = data;
      const alone = running === 1;
      const coalesce = (alone ? undefined : deps.coalesceUnderLoad) ?? deps.coalesce;
      (coalesce ?? noCoalescing)(() => {
        // Not awaited: the job completes (and its slot takes the next one) while the reply
        // is on its way; the copy covers a lost publish.
        if (replyTo !== undefined) {
          const handed = lease?.handOver();
          const { requestId } = data;
          const delivery = {
            channel: replyTo,
            jobId: job.id ?? requestId,
            frame: encode(reply),
            deadline: data.replyDeadline,
            ...(handed === undefined ? {} : { lease: handed }),
          };
          deps.track(
            deps.replies.deliver(delivery).then(
              ({ copied }) => {
                if (!copied) deps.logger.warn({ requestId }, 'reply copy not kept; reply sent');
              },
              (err: unknown) =>
                deps.logger.warn(
                  { err, requestId },
                  'reply not delivered; the lease expires by itself',
                ),
            ),
          );
        } else if (lease) deps.track(lease.release());
        // Under load the batch's own write is shared by many invocations' logs already.
        if (alone && deps.flushLogs) deps.track(deps.flushLogs());
      });
      return null;
    } finally {
      running--;
      // Idempotent: covers the paths that threw before the reply; shutdown waits for it.
      if (lease) deps.track(lease.release());
    }
  };
}
