/**
 * @module
 * Every metric the gateway exports, on a Registry owned by one app instance (never prom-client's
 * global default, so tests can build many apps). Labels stay low-cardinality: function names
 * (bounded by what users deploy), operation names, fixed outcome and reason words.
 */
import { Counter, Gauge, Histogram, collectDefaultMetrics, type Registry } from 'prom-client';

/** How a sync or async invoke ended, as counted in lambdock_invocations_total. */
export type InvocationOutcome =
  'success' | 'function-error' | 'rejected' | 'no-reply' | 'throttled' | 'queued' | 'unavailable';

export interface GatewayMetrics {
  registry: Registry;
  invocations: Counter<'function' | 'outcome'>;
  invokeErrors: Counter<'function'>;
  throttles: Counter<'function' | 'reason'>;
  invokeDuration: Histogram;
  httpRequests: Counter<'route' | 'method' | 'status'>;
  httpDuration: Histogram<'route' | 'method'>;
  httpInFlight: Gauge;
  clientErrors: Counter<'reason'>;
  routeRequests: Counter<'route' | 'status'>;
  urlRequests: Counter<'function' | 'status'>;
  webhookRecords: Counter<'webhook' | 'result'>;
}

/** What became of one storage notification record, as counted in lambdock_webhook_records_total. */
export type WebhookRecordResult = 'invoked' | 'duplicate' | 'unmatched' | 'rejected';

export interface MetricsOptions {
  registry: Registry;
  /** Read on every scrape for lambdock_queue_depth. */
  queueDepths: () => Promise<Record<string, number>>;
  /** Process metrics (CPU, heap, event loop); off in unit tests. @defaultValue true */
  processMetrics?: boolean;
}

const DURATION_BUCKETS_S = [
  0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 900,
];

/** Read on scrape, so the value is never stale and costs nothing between scrapes. */
function registerQueueDepth(options: MetricsOptions): void {
  new Gauge({
    name: 'lambdock_queue_depth',
    help: 'Jobs waiting in each lambdock queue (not yet taken by a worker).',
    labelNames: ['queue'],
    registers: [options.registry],
    async collect() {
      try {
        const depths = await options.queueDepths();
        for (const [queue, depth] of Object.entries(depths)) this.set({ queue }, depth);
      } catch {
        // Redis down: keep the scrape working; readiness and 503s already report the outage.
        this.reset();
      }
    },
  });
}

type Registers = Registry[];

function invocationMetrics(registers: Registers) {
  return {
    invocations: new Counter({
      name: 'lambdock_invocations_total',
      help: 'Invoke requests admitted past validation, by function and outcome.',
      labelNames: ['function', 'outcome'] as const,
      registers,
    }),
    invokeErrors: new Counter({
      name: 'lambdock_invoke_errors_total',
      help: 'Sync invocations that ended in a function error (X-Amz-Function-Error: Unhandled).',
      labelNames: ['function'] as const,
      registers,
    }),
    throttles: new Counter({
      name: 'lambdock_throttles_total',
      help: 'Sync invokes refused with 429 TooManyRequestsException, by function and reason.',
      labelNames: ['function', 'reason'] as const,
      registers,
    }),
    invokeDuration: new Histogram({
      name: 'lambdock_invoke_duration_seconds',
      help: 'Sync invoke latency seen by the caller: admission, queue, run and reply.',
      buckets: DURATION_BUCKETS_S,
      registers,
    }),
  };
}

function httpMetrics(registers: Registers) {
  return {
    httpRequests: new Counter({
      name: 'http_requests_total',
      help: 'HTTP requests by API operation, method and status code.',
      labelNames: ['route', 'method', 'status'] as const,
      registers,
    }),
    httpDuration: new Histogram({
      name: 'http_request_duration_seconds',
      help: 'HTTP request duration by API operation and method.',
      labelNames: ['route', 'method'] as const,
      buckets: DURATION_BUCKETS_S,
      registers,
    }),
    httpInFlight: new Gauge({
      name: 'http_requests_in_flight',
      help: 'HTTP requests being served right now.',
      registers,
    }),
    clientErrors: new Counter({
      name: 'lambdock_client_errors_total',
      help: 'Connections closed for a client fault: timeout (headers or body too slow, 408), headers_too_large (431), too_large (chunk extensions, 413), malformed (400), reset (by the client, also mid-invocation).',
      labelNames: ['reason'] as const,
      registers,
    }),
  };
}

function sourceMetrics(registers: Registers) {
  return {
    routeRequests: new Counter({
      name: 'lambdock_route_requests_total',
      help: 'Requests served by HTTP routes, by route key and response status.',
      labelNames: ['route', 'status'] as const,
      registers,
    }),
    urlRequests: new Counter({
      name: 'lambdock_function_url_requests_total',
      help: 'Requests served by function URLs, by function and response status (403 for unknown URLs).',
      labelNames: ['function', 'status'] as const,
      registers,
    }),
    webhookRecords: new Counter({
      name: 'lambdock_webhook_records_total',
      help: 'Storage notification records by webhook and result: invoked, duplicate, unmatched, rejected.',
      labelNames: ['webhook', 'result'] as const,
      registers,
    }),
  };
}

export function createMetrics(options: MetricsOptions): GatewayMetrics {
  const registers = [options.registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: options.registry });
  registerQueueDepth(options);
  return {
    registry: options.registry,
    ...invocationMetrics(registers),
    ...httpMetrics(registers),
    ...sourceMetrics(registers),
  };
}
