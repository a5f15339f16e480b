/**
 * @module
 * Every default in one place, each with the reason it has this value.
 */
export const DEFAULTS = Object.freeze({
  /** Local Redis; compose overrides it with the service name. */
  REDIS_URL: 'redis://127.0.0.1:6379',
  /** Short and recognisable in `redis-cli --scan`. */
  KEY_PREFIX: 'lambdock',
  /** The region SDKs default to; any value works as long as clients use the same. */
  REGION: 'us-east-1',
  /** The account id LocalStack and the AWS docs use for local stacks. */
  ACCOUNT_ID: '000000000000',
  /** AWS's default account concurrency. */
  ACCOUNT_CONCURRENCY_LIMIT: 1000,
  /** Lambda's sync request and response limit (6 MB). */
  SYNC_PAYLOAD_LIMIT_BYTES: 6 * 1024 * 1024,
  /** Lambda's async request limit since October 2025 (1 MB). */
  ASYNC_PAYLOAD_LIMIT_BYTES: 1024 * 1024,
  /** The Runtime API's own cap on a response: 6 MiB plus 100 bytes of slack (as AWS's emulator). */
  RESPONSE_LIMIT_BYTES: 6 * 1024 * 1024 + 100,
  /** A streamed response its caller takes as it comes (function URLs, InvokeWithResponseStream). */
  STREAM_RESPONSE_LIMIT_BYTES: 20 * 1024 * 1024,
  /** Lambda defaults for a new function. */
  FUNCTION_TIMEOUT_S: 3,
  FUNCTION_MEMORY_MB: 128,
  EPHEMERAL_STORAGE_MB: 512,
  /** Long enough for three lease renewals to fail before another worker may take the slot. */
  LEASE_TTL_MS: 30_000,
  /** Time a sync caller waits beyond the function timeout for queueing and cold start. */
  SYNC_REPLY_GRACE_MS: 30_000,
  /** Lambda gives init 10 s on demand. */
  INIT_TIMEOUT_MS: 10_000,
  /** Idle environments are reaped after this long: scale to zero without thrashing. */
  IDLE_TIMEOUT_MS: 5 * 60_000,
  /** Lambda's `X-Amz-Log-Result` tail size. */
  LOG_TAIL_BYTES: 4096,
  /** Per-invocation captured output; an endless printer cannot exhaust the worker. */
  LOG_CAPTURE_LIMIT_BYTES: 1024 * 1024,
  /** Log lines kept per function in Redis. */
  LOG_STREAM_MAX_ENTRIES: 10_000,
  /** Lambda's processes-and-threads quota. */
  PIDS_LIMIT: 1024,
  /** Lambda's file descriptor quota. */
  NOFILE_LIMIT: 1024,
  /** A uid that exists in no base image: never root, never a real account. */
  CONTAINER_USER: '993:993',
  /** How stale a replica's cached routes, URLs and webhooks may be before it re-checks Redis. */
  SOURCES_REFRESH_MS: 1_000,
  /** Replays of a storage notification within this window invoke nothing (RGW retries forever). */
  WEBHOOK_DEDUPE_TTL_S: 24 * 3600,
  /** Fixed by the ports contract in ARCHITECTURE.md (also where AWS's runtime emulator listens). */
  GATEWAY_PORT: 8080,
  /** A hot-path Redis call (enqueue, lease) slower than this means Redis is unwell: answer 503. */
  REDIS_TIMEOUT_MS: 1_000,
  /**
   * A sync caller may legitimately wait the longest function timeout (900 s) plus the reply
   * grace; draining must not cut such a call short. The orchestrator's kill timeout caps it.
   */
  DRAIN_TIMEOUT_MS: 900_000 + 30_000,
  /** ListFunctions never returns more than 50 items per page, whatever MaxItems says. */
  LIST_PAGE_MAX_ITEMS: 50,
});
