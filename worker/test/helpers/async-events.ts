/**
 * @module
 * In-memory stand-ins for what async events need: an invocation record store with the Redis
 * store's update semantics, event invoke configs, a recording destination sender and a clock.
 */
import type {
  DestinationDelivery,
  EventInvokeConfig,
  InvocationRecord,
  RecordMutation,
  RecordUpdate,
} from '@lambdock/core';
import type { DeliveryPayload } from '../../src/async/delivery-payload.js';
import type { AsyncEventDeps } from '../../src/jobs/async-processor.js';

export class MemoryRecords {
  readonly records = new Map<string, InvocationRecord>();
  writes = 0;

  async get(requestId: string): Promise<InvocationRecord | undefined> {
    const record = this.records.get(requestId);
    return record === undefined ? undefined : structuredClone(record);
  }

  async update(requestId: string, mutate: RecordMutation): Promise<RecordUpdate> {
    const current = this.records.get(requestId);
    const next = mutate(current === undefined ? undefined : structuredClone(current));
    if (next === undefined) return { record: current && structuredClone(current), written: false };
    this.writes += 1;
    this.records.set(requestId, structuredClone(next));
    return { record: structuredClone(next), written: true };
  }
}

export interface Sent {
  delivery: DestinationDelivery;
  payload: DeliveryPayload;
}

export interface FakeEvents extends AsyncEventDeps {
  records: MemoryRecords;
  sent: Sent[];
  /** Targets whose delivery fails. */
  failing: Set<string>;
  config: Partial<EventInvokeConfig> | undefined;
  reserved: number | undefined;
}

export function fakeEvents(overrides: Partial<FakeEvents> = {}): FakeEvents {
  const events: FakeEvents = {
    records: new MemoryRecords(),
    sent: [],
    failing: new Set(),
    config: undefined,
    reserved: undefined,
    configs: {
      get: async (functionName, qualifier) =>
        events.config === undefined
          ? undefined
          : { functionName, qualifier, lastModifiedMs: 0, ...events.config },
    },
    send: async (delivery, payload) => {
      if (events.failing.has(delivery.Target)) throw new Error(`cannot reach ${delivery.Target}`);
      events.sent.push({ delivery, payload });
    },
    payloadContext: { region: 'us-east-1', accountId: '000000000000' },
    reservedConcurrency: async () => events.reserved,
    retryBaseDelayMs: 60_000,
    resultLimitBytes: 1024,
    ...overrides,
  };
  return events;
}

/** A clock tests move forward by hand. */
export function fakeClock(startMs = Date.UTC(2026, 0, 1)) {
  const clock = { ms: startMs, now: () => clock.ms, advance: (ms: number) => (clock.ms += ms) };
  return clock;
}

/** Leases that refuse with a reason, or grant. */
export function reasonLeases(refusal?: string) {
  return {
    acquire: async () => (refusal === undefined ? { ok: true } : { ok: false, reason: refusal }),
    renew: async () => true,
    release: async () => undefined,
  };
}
