/** In-memory event-source stores with the same semantics as core's SourceStore (unit tests). */
import type { ScheduleState } from '@lambdock/core';
import type { DeliveryLog, GatewaySources } from '../../src/deps.js';
import { createSourceView, type SourceStores } from '../../src/sources/source-view.js';

export class MemorySourceStore<T> {
  readonly records = new Map<string, string>();
  constructor(private readonly version: { value: number }) {}

  async get(id: string): Promise<T | undefined> {
    const raw = this.records.get(id);
    return raw === undefined ? undefined : (JSON.parse(raw) as T);
  }
  async list(): Promise<T[]> {
    return [...this.records.keys()]
      .sort()
      .map((id) => JSON.parse(this.records.get(id) as string) as T);
  }
  async create(id: string, value: T): Promise<boolean> {
    if (this.records.has(id)) return false;
    this.records.set(id, JSON.stringify(value));
    this.version.value += 1;
    return true;
  }
  async update(id: string, change: (current: T) => T): Promise<T | undefined> {
    const raw = this.records.get(id);
    if (raw === undefined) return undefined;
    const next = change(JSON.parse(raw) as T);
    this.records.set(id, JSON.stringify(next));
    this.version.value += 1;
    return next;
  }
  async put(id: string, value: T): Promise<void> {
    this.records.set(id, JSON.stringify(value));
    this.version.value += 1;
  }
  async delete(id: string): Promise<boolean> {
    const had = this.records.delete(id);
    if (had) this.version.value += 1;
    return had;
  }
}

export interface MemorySources extends GatewaySources {
  version: { value: number };
  states: Map<string, ScheduleState>;
  delivered: Set<string>;
}

export function createMemorySources(now: () => number = Date.now): MemorySources {
  const version = { value: 0 };
  const stores: SourceStores = {
    routes: new MemorySourceStore(version),
    urls: new MemorySourceStore(version),
    schedules: new MemorySourceStore(version),
    webhooks: new MemorySourceStore(version),
    triggers: new MemorySourceStore(version),
  };
  const states = new Map<string, ScheduleState>();
  const delivered = new Set<string>();
  const deliveries: DeliveryLog = {
    claim: async (id) => {
      if (delivered.has(id)) return false;
      delivered.add(id);
      return true;
    },
    release: async (id) => {
      delivered.delete(id);
    },
  };
  return {
    version,
    states,
    delivered,
    stores,
    view: createSourceView({ stores, version: async () => version.value, refreshMs: 0, now }),
    scheduleStates: {
      get: async (name) => states.get(name),
      all: async () => new Map(states),
      delete: async (name) => {
        states.delete(name);
      },
    },
    deliveries,
  };
}
