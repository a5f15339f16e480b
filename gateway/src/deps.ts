/**
 * @module
 * What the gateway needs from the outside world, as interfaces. Production wiring (main.ts)
 * passes Redis- and BullMQ-backed implementations; unit tests pass in-memory fakes.
 */
import type { RequestVerifier } from './auth/request-verifier.js';
import type {
  AliasRecord,
  Coalesce,
  EventInvokeConfigStore,
  InvocationRecordStore,
  MessageQueueStore,
  ScheduleStateStore,
  ConcurrencyLeases,
  FunctionRecord,
  FunctionRegistry,
  InvokeJobData,
  LayerStore as CoreLayerStore,
  LogStore,
  PolicyStore as CorePolicyStore,
  ProvisionedConcurrencyStore,
  Logger,
  PrepareJobData,
  Reply,
  ReplyWaiter,
  ThrottleReason,
  VersionRegistry,
} from '@lambdock/core';
import type { GatewayConfig } from './config.js';
import type { SourceStores, SourceView } from './sources/source-view.js';
import type { GatewayMetrics } from './metrics.js';

/** The function registry as the gateway uses it; core's FunctionRegistry satisfies it. */
export type FunctionStore = Pick<
  FunctionRegistry,
  | 'create'
  | 'get'
  | 'list'
  | 'update'
  | 'delete'
  | 'getCode'
  | 'count'
  | 'getReservedConcurrency'
  | 'putReservedConcurrency'
  | 'deleteReservedConcurrency'
  | 'totalReserved'
>;

/** Published versions and aliases; core's VersionRegistry satisfies it. */
export type VersionStore = Pick<
  VersionRegistry,
  | 'getVersion'
  | 'listVersions'
  | 'publish'
  | 'deleteVersion'
  | 'deleteAll'
  | 'getAlias'
  | 'listAliases'
  | 'createAlias'
  | 'updateAlias'
  | 'deleteAlias'
  | 'resolve'
>;

/** Provisioned concurrency configs; core's ProvisionedConcurrencyStore satisfies it. */
export type ProvisionedStore = Pick<
  ProvisionedConcurrencyStore,
  'get' | 'put' | 'delete' | 'list' | 'getProgress'
>;

/** Resource-based policies (AddPermission); core's PolicyStore satisfies it. */
export type PolicyStore = Pick<CorePolicyStore, 'get' | 'update' | 'delete' | 'deleteAll'>;

/** Layer versions and their policies; core's LayerStore satisfies it. */
export type LayerStore = Pick<
  CoreLayerStore,
  'publish' | 'get' | 'listVersions' | 'names' | 'delete' | 'getPolicy' | 'updatePolicy'
>;

/** Concurrency leases for sync invokes; core's ConcurrencyLeases satisfies it. */
export type LeaseManager = Pick<ConcurrencyLeases, 'acquire' | 'release'>;

/** A function record as this gateway read it, with a stamp that changes with any change to it. */
export interface StampedRecord {
  readonly record: FunctionRecord;
  readonly stamp: string;
}

/** An alias as this gateway holds it, stamped like a record. */
export interface StampedAlias {
  readonly alias: AliasRecord;
  readonly stamp: string;
}

/** The alias a job came through, and the stamp it had when the job's version was picked. */
export interface AliasStamp {
  readonly alias: string;
  readonly stamp: string;
}

export type AdmitOutcome =
  /** Queued: `route` says where (for the fallback's look-up). */
  | { kind: 'added'; route: SyncRoute }
  | { kind: 'throttled'; reason: ThrottleReason }
  /** The record or the alias is no longer the one stamped: nothing was added; read it again. */
  | { kind: 'stale' };

/**
 * Sync invokes: the records and aliases as this gateway holds them, then the lease and the add
 * together, on condition that neither changed meanwhile.
 */
export interface SyncAdmission {
  /**
   * The record of `name` at `version` (`$LATEST` or a published version), held or read now;
   * undefined when there is none.
   */
  record(name: string, version?: string): Promise<StampedRecord | undefined>;
  /** Alias `alias` of `name`, held or read now; undefined when there is none. */
  alias(name: string, alias: string): Promise<StampedAlias | undefined>;
  /**
   * Take lease `leaseId` for `job` and add it (under its request id), both or neither, provided
   * the record of `job.qualifier` (the version that runs) still has `stamp` and, for a job that
   * came through an alias, the alias still has its stamp.
   */
  admitAndEnqueue(
    job: InvokeJobData,
    leaseId: string,
    stamp: string,
    via?: AliasStamp,
  ): Promise<AdmitOutcome>;
}

/** Function logs; core's LogStore satisfies it. */
export type LogReader = Pick<
  LogStore,
  'read' | 'range' | 'rangeBack' | 'oldest' | 'streams' | 'delete'
>;

/** What became of a sync job whose reply did not arrive in time. */
export type SyncJobFallback =
  /** A worker finished it; its reply was lost or late (this is the copy the worker kept). */
  | { state: 'completed'; reply: Reply }
  /** No worker had taken it; it was removed from the queue. */
  | { state: 'withdrawn' }
  /** A worker holds it but did not answer in time. */
  | { state: 'running' }
  | { state: 'failed'; reason: string }
  /** Gone (already removed, or never stored). */
  | { state: 'missing' };

/**
 * Where a sync job went: the shared queue (no worker id), or one worker's own queue because the
 * gateway claimed an idle provisioned environment there.
 */
export interface SyncRoute {
  readonly workerId?: string;
}

export interface InvocationQueue {
  /** Add a sync invocation (job id = request id); resolves once Redis stored it. */
  enqueueSync(job: InvokeJobData): Promise<SyncRoute>;
  /** Add an `Event` invocation; resolves once Redis stored it, and only then may 202 go out. */
  enqueueAsync(job: InvokeJobData): Promise<void>;
  /** Ask a worker to make a created or updated function Active / Successful. */
  enqueuePrepare(job: PrepareJobData): Promise<void>;
  /** After a sync wait timed out: the job's fate; withdraws it if no worker has taken it. */
  settleSync(requestId: string, route?: SyncRoute): Promise<SyncJobFallback>;
  /**
   * A job placed on a worker's own queue that this worker has not taken yet (it died after
   * the claim, or stalls) moves to the shared queue, where any worker runs it on demand.
   * Resolves the job's route from then on: the shared one when moved, `route` otherwise.
   */
  redirectUntaken(requestId: string, route: SyncRoute): Promise<SyncRoute>;
  /** Jobs waiting per queue name, for the queue-depth gauge. */
  depths(): Promise<Record<string, number>>;
  /** An async job still in BullMQ (not yet finished), or `undefined`. */
  asyncJob(requestId: string): Promise<AsyncJobView | undefined>;
}

/** What the invocation API reports for an async event no worker has recorded yet. */
export interface AsyncJobView {
  state: 'waiting' | 'delayed' | 'active';
  job: InvokeJobData;
}

/** Async invocation: event invoke configs, invocation records, lambdock queues. */
export interface GatewayAsync {
  configs: Pick<EventInvokeConfigStore, 'get' | 'put' | 'list' | 'delete' | 'deleteAll'>;
  records: Pick<InvocationRecordStore, 'get'>;
  queues: Pick<MessageQueueStore, 'list' | 'count' | 'messages' | 'get' | 'remove' | 'purge'>;
}

/** Waiting for replies on this gateway's channel: core's channel waiter, or a test's stand-in. */
export type { ReplyWaiter };

export interface Readiness {
  /** True when Redis answers and the gateway is not draining. */
  isReady(): Promise<boolean>;
}

/** The configuration values the app reads, plus this gateway's reply channel. */
export type GatewaySettings = Pick<
  GatewayConfig,
  | 'region'
  | 'accountId'
  | 'accountConcurrency'
  | 'syncPayloadLimitBytes'
  | 'asyncPayloadLimitBytes'
  | 'syncReplyGraceMs'
  | 'directPickupMs'
  | 'accessKeys'
> & { readonly replyChannel: string };

/** Event sources: the stores behind the management API, the cached view behind ingress. */
export interface GatewaySources {
  stores: SourceStores;
  view: SourceView;
  scheduleStates: Pick<ScheduleStateStore, 'get' | 'all' | 'delete'>;
  /** Storage deliveries already queued (request ids), so a replay invokes nothing. */
  deliveries: DeliveryLog;
}

export interface DeliveryLog {
  /** True for the first caller only (until released or expired). */
  claim(requestId: string): Promise<boolean>;
  /** Give a claim back (the delivery could not be queued). */
  release(requestId: string): Promise<void>;
}

export interface GatewayDeps {
  settings: GatewaySettings;
  logger: Logger;
  registry: FunctionStore;
  versions: VersionStore;
  leases: LeaseManager;
  queue: InvocationQueue;
  /**
   * Sync admission. @defaultValue the record (and alias) read each time, then the lease, then
   * the add (invoke/split-admission.ts)
   */
  admission?: SyncAdmission;
  replies: ReplyWaiter;
  logs: LogReader;
  metrics: GatewayMetrics;
  readiness: Readiness;
  sources: GatewaySources;
  async: GatewayAsync;
  provisioned: ProvisionedStore;
  policies: PolicyStore;
  layers: LayerStore;
  /** @defaultValue Date.now */
  now?: () => number;
  /** @defaultValue crypto.randomUUID */
  newId?: () => string;
  /** Picks a weighted alias's version, in [0, 1). @defaultValue evenSplit() (versions/even-split.ts) */
  random?: () => number;
  /**
   * Sends the Redis commands Invoke issues inside `work` together with the others of the same
   * turn of the event loop, in one write (core's redis/coalesce-writes.ts).
   * @defaultValue runs `work` as is
   */
  coalesce?: Coalesce;
  /**
   * Checks the SigV4 signatures of API requests; null: any request is accepted.
   * @defaultValue a verifier of `settings.accessKeys` when it lists any, else null
   */
  signatures?: RequestVerifier | null;
}

/** GatewayDeps with the optional members filled in. */
export type ResolvedGatewayDeps = Required<GatewayDeps>;
