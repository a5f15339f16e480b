/**
 * In-memory stand-ins for the async-invocation stores, with the semantics of core's Redis ones
 * (configs by function and qualifier, records by request id, queues in arrival order).
 */
import type {
  EventInvokeConfig,
  InvocationRecord,
  MessagePage,
  QueueMessage,
  QueueSummary,
} from '@lambdock/core';
import type { GatewayAsync } from '../../src/deps.js';

type ConfigStore = GatewayAsync['configs'];
type RecordStore = GatewayAsync['records'];
type QueueStore = GatewayAsync['queues'];

export class MemoryConfigs implements ConfigStore {
  readonly byFunction = new Map<string, Map<string, EventInvokeConfig>>();

  async get(functionName: string, qualifier: string): Promise<EventInvokeConfig | undefined> {
    const config = this.byFunction.get(functionName)?.get(qualifier);
    return config === undefined ? undefined : structuredClone(config);
  }

  async put(config: EventInvokeConfig): Promise<void> {
    const configs =
      this.byFunction.get(config.functionName) ?? new Map<string, EventInvokeConfig>();
    configs.set(config.qualifier, structuredClone(config));
    this.byFunction.set(config.functionName, configs);
  }

  async list(functionName: string): Promise<EventInvokeConfig[]> {
    const configs = this.byFunction.get(functionName) ?? new Map<string, EventInvokeConfig>();
    return [...configs.keys()]
      .sort()
      .map((q) => structuredClone(configs.get(q) as EventInvokeConfig));
  }

  async delete(functionName: string, qualifier: string): Promise<boolean> {
    return this.byFunction.get(functionName)?.delete(qualifier) ?? false;
  }

  async deleteAll(functionName: string): Promise<void> {
    this.byFunction.delete(functionName);
  }
}

export class MemoryRecords implements RecordStore {
  readonly records = new Map<string, InvocationRecord>();

  async get(requestId: string): Promise<InvocationRecord | undefined> {
    const record = this.records.get(requestId);
    return record === undefined ? undefined : structuredClone(record);
  }
}

export class MemoryQueues implements QueueStore {
  readonly queues = new Map<string, QueueMessage[]>();

  send(queueName: string, message: QueueMessage): void {
    const messages = this.queues.get(queueName) ?? [];
    messages.push(structuredClone(message));
    this.queues.set(queueName, messages);
  }

  async list(): Promise<QueueSummary[]> {
    return [...this.queues.keys()]
      .sort()
      .filter((name) => (this.queues.get(name) ?? []).length > 0)
      .map((name) => ({ name, messages: this.queues.get(name)?.length ?? 0 }));
  }

  async count(queueName: string): Promise<number> {
    return this.queues.get(queueName)?.length ?? 0;
  }

  async messages(queueName: string, limit: number, after?: string): Promise<MessagePage> {
    const all = this.queues.get(queueName) ?? [];
    const start = after === undefined ? 0 : all.findIndex((m) => m.MessageId === after) + 1;
    if (after !== undefined && start === 0) return { messages: [] };
    const page = all.slice(start, start + limit);
    const last = page[page.length - 1];
    return all.length > start + limit && last !== undefined
      ? { messages: structuredClone(page), next: last.MessageId }
      : { messages: structuredClone(page) };
  }

  async get(queueName: string, messageId: string): Promise<QueueMessage | undefined> {
    const message = this.queues.get(queueName)?.find((m) => m.MessageId === messageId);
    return message === undefined ? undefined : structuredClone(message);
  }

  async remove(queueName: string, messageId: string): Promise<boolean> {
    const all = this.queues.get(queueName) ?? [];
    const index = all.findIndex((m) => m.MessageId === messageId);
    if (index < 0) return false;
    all.splice(index, 1);
    return true;
  }

  async purge(queueName: string): Promise<number> {
    const count = this.queues.get(queueName)?.length ?? 0;
    this.queues.delete(queueName);
    return count;
  }
}

export interface MemoryAsync extends GatewayAsync {
  configs: MemoryConfigs;
  records: MemoryRecords;
  queues: MemoryQueues;
}

export function createMemoryAsync(): MemoryAsync {
  return { configs: new MemoryConfigs(), records: new MemoryRecords(), queues: new MemoryQueues() };
}
