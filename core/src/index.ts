/**
 * @module
 * @lambdock/core: the contracts the gateway, worker and scheduler share. Named re-exports
 * only, so the public surface is visible in one screen.
 */
export {
  AppError,
  ConfigError,
  ERRORS,
  isAppError,
  type AppErrorOptions,
  type ErrorBodyShape,
  type ErrorKey,
  type ErrorSpec,
} from './errors.js';
export { renderError, type ErrorProtocol, type RenderedError } from './render-error.js';
export { DEFAULTS } from './defaults.js';
export {
  boolVar,
  enumVar,
  envVarNames,
  intVar,
  loadEnv,
  optionalStringVar,
  pairsVar,
  stringVar,
  urlVar,
  type Env,
  type EnvSchema,
  type EnvValues,
  type EnvVar,
} from './config/env-schema.js';
export { COMMON_ENV, DRAIN_TIMEOUT_ENV, LEASE_TTL_ENV } from './config/common.js';
export {
  createLogger,
  createSilentLogger,
  lazyChild,
  REDACT_PATHS,
  type LogLevel,
  type Logger,
  type LoggerOptions,
} from './logger.js';
export {
  FUNCTION_ERROR_TYPES,
  INVOKE_HEADERS,
  RESERVED_ENVIRONMENT_KEYS,
  RUNTIME_API_VERSION,
  RUNTIME_HEADERS,
  RUNTIMES,
  THROTTLE_REASONS,
  timeoutMessage,
  type InvocationType,
  type Runtime,
  type ThrottleReason,
} from './lambda/constants.js';
export { functionArn, logGroupName, type ArnContext } from './lambda/arn.js';
export {
  CREATE_NAME_PATTERN,
  FUNCTION_NAME_MAX_LENGTH,
  LOOKUP_NAME_PATTERN,
  NAME_RULES,
  QUALIFIER_MAX_LENGTH,
  QUALIFIER_PATTERN,
  parseFunctionName,
  type NameRule,
  type NameRuleKey,
  type ParseFunctionNameOptions,
  type ParsedFunctionName,
} from './lambda/function-name.js';
export {
  CONSTRAINTS,
  constraintMessage,
  invalidParameter,
  validationError,
} from './lambda/validation.js';
export {
  formatLastModified,
  type FunctionRecord,
  type FunctionState,
  type ImageConfig,
  type LastUpdateStatus,
  type LoggingConfig,
  type PackageType,
} from './model/function-record.js';
export {
  runtimeVersionArn,
  toFunctionConfiguration,
  type ConfigurationView,
  type FunctionConfiguration,
  type ToConfigurationOptions,
} from './model/to-configuration.js';
export { createKeys, type RedisKeys } from './registry/keys.js';
export { FunctionRegistry, type ListPage } from './registry/function-registry.js';
export { PolicyStore, type PolicyStatement, type ResourcePolicy } from './registry/policy-store.js';
export {
  ACQUIRE_LEASE_LUA,
  ConcurrencyLeases,
  acquireResult,
  type AcquireResult,
} from './concurrency/concurrency-leases.js';
export {
  ASYNC_JOB_OPTIONS,
  SYNC_JOB_OPTIONS,
  UNTAKEN_JOB_STATES,
  JOB_NAMES,
  QUEUES,
  directInvokeQueue,
  type InvokeJobData,
  type InvokeJobResult,
  type InvokeOutcome,
  type InvokeResultHeader,
  type PrepareJobData,
} from './queue/contracts.js';
export {
  decodeFrame,
  decodeReply,
  encodeChunk,
  encodeReply,
  type Reply,
  type ReplyChunk,
  type ReplyFrame,
} from './queue/reply-codec.js';
export {
  copyTtlMs,
  createReplyCopies,
  REPLY_COPY_MARGIN_MS,
  type ReplyCopies,
} from './queue/reply-copies.js';
export { createReplyDelivery, type Delivery, type ReplyDelivery } from './queue/reply-delivery.js';
export {
  createReplyWaiter,
  type ChannelReplyWaiter,
  type PendingReply,
  type ReplyWaiter,
  type ReplyWaiterEvents,
} from './queue/reply-waiter.js';
export {
  LogStore,
  UNNAMED_LOG_STREAM,
  type LogAppendEntry,
  type LogEntry,
  type LogStreamInfo,
} from './logs/log-store.js';
export {
  batchAppends,
  createLogBatcher,
  type LogAppend,
  type LogBatcher,
  type LogBatcherOptions,
} from './logs/log-batcher.js';
export {
  batchWritesPerTurn,
  coalesceWrites,
  noCoalescing,
  type Coalesce,
} from './redis/coalesce-writes.js';
export { openPerKey, type OpenPerKey, type OpenPerKeyOptions } from './queue/open-per-key.js';
export { createRedis, type RedisRole } from './redis/create-redis.js';
export {
  checkDurability,
  watchDurability,
  type Durability,
  type DurabilityWatch,
} from './redis/durability.js';
export { createRedisClock, type Clock, type RedisClockOptions } from './redis/redis-clock.js';
export { luaScript, type LuaScript } from './redis/lua-script.js';
export {
  SOURCE_KINDS,
  SourceStore,
  sourcesVersion,
  type SourceKind,
} from './sources/source-store.js';
export type {
  CorsConfig,
  FunctionUrlRecord,
  ManagedBy,
  RouteRecord,
  ScheduleRecord,
  ScheduleState,
  TriggerRecord,
  WebhookRecord,
} from './sources/records.js';
export { ScheduleStateStore } from './sources/schedule-state.js';
export * from './schedule/index.js';
export { DeadlineError, withDeadline } from './deadline.js';
export {
  VersionRegistry,
  contentDigest,
  type PublishOptions,
  type Resolved,
} from './registry/version-registry.js';
export { pickAliasVersion, type AliasRecord } from './model/alias-record.js';
export {
  layerArn,
  layerVersionArn,
  type FunctionLayer,
  type LayerVersionRecord,
} from './model/layer-record.js';
export { LayerStore, type NewLayerVersion } from './registry/layer-store.js';
export {
  isVersionNumber,
  resolveQualifier,
  type QualifierLookups,
} from './registry/resolve-qualifier.js';
export { createAsyncKeys, type AsyncKeys } from './async/keys.js';
export {
  EVENT_INVOKE_LIMITS,
  resolveEventInvokeConfig,
  type EventInvokeConfig,
  type ResolvedEventInvokeConfig,
} from './async/event-invoke-config.js';
export { EventInvokeConfigStore } from './async/event-invoke-config-store.js';
export {
  QUEUE_NAME_PATTERN,
  parseDestinationTarget,
  type DestinationTarget,
} from './async/destination-target.js';
export { deliveryId, type DeliveryKind } from './async/delivery-id.js';
export {
  endAttempt,
  finishRecord,
  functionErrorCount,
  invokeCount,
  isTerminal,
  markDelivery,
  newInvocationRecord,
  startAttempt,
  type AttemptEnd,
  type AttemptOutcome,
  type AttemptRecord,
  type DeliveryStatus,
  type DestinationCondition,
  type DestinationDelivery,
  type Ending,
  type InvocationRecord,
  type InvocationStatus,
  type NewInvocation,
} from './async/invocation-record.js';
export {
  InvocationRecordStore,
  type RecordMutation,
  type RecordUpdate,
} from './async/invocation-record-store.js';
export {
  queueMessage,
  type MessageAttribute,
  type MessageSource,
  type NewQueueMessage,
  type QueueMessage,
} from './async/queue-message.js';
export {
  MessageQueueStore,
  type MessagePage,
  type QueueSummary,
} from './async/message-queue-store.js';
export {
  deadLetterAttributes,
  destinationRecord,
  type DestinationRecord,
  type DestinationRecordInput,
} from './async/destination-record.js';
export {
  CAPACITY_REASON,
  INIT_FAILURE_REASON,
  progressFor,
  provisionedView,
  type ProvisionedConfig,
  type ProvisionedConfigView,
  type ProvisionedProgress,
  type ProvisionedStatus,
} from './provisioned/provisioned-config.js';
export { ProvisionedConcurrencyStore } from './provisioned/provisioned-store.js';
export { splitProvisioned, type VersionPart } from './provisioned/provisioned-split.js';
export {
  EMPTY_ASSIGNMENT,
  planAssignment,
  type PlanInput,
  type ProvisionedAssignment,
  type VersionKey,
  type WorkerShare,
} from './provisioned/provisioned-assignment.js';
export { provisionedKeys, type ProvisionedKeys } from './provisioned/provisioned-keys.js';
export { ProvisionedFleetStore, type WorkerReport } from './provisioned/provisioned-fleet-store.js';
export {
  ProvisionedOffersStore,
  type OfferSnapshot,
  type ProvisionedClaim,
} from './provisioned/provisioned-offers-store.js';
