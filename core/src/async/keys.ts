/**
 * @module
 * The Redis keys of async invocation: event invoke configs, invocation records and lambdock
 * queues. Built from the same prefix as every other key (registry/keys.ts), kept here so the
 * async contracts live in one folder.
 */

export interface AsyncKeys {
  /** Hash: qualifier → EventInvokeConfig JSON, one per function. */
  eventInvokeConfigs(functionName: string): string;
  /** String: the InvocationRecord JSON of one async request id (expires). */
  invocation(requestId: string): string;
  /** Sorted set of queue names that hold messages. */
  readonly queueNames: string;
  /** Sorted set: message id scored by arrival order. */
  queueOrder(queueName: string): string;
  /** Hash: message id → QueueMessage JSON. */
  queueMessages(queueName: string): string;
  /** Counter giving every message its arrival order. */
  readonly queueSequence: string;
}

export function createAsyncKeys(prefix: string): AsyncKeys {
  return Object.freeze({
    eventInvokeConfigs: (functionName: string) => `${prefix}:async:eic:${functionName}`,
    invocation: (requestId: string) => `${prefix}:async:inv:${requestId}`,
    queueNames: `${prefix}:async:queues`,
    queueOrder: (queueName: string) => `${prefix}:async:q:${queueName}:order`,
    queueMessages: (queueName: string) => `${prefix}:async:q:${queueName}:msgs`,
    queueSequence: `${prefix}:async:q:seq`,
  });
}
