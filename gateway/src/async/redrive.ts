/**
 * @module
 * Redrive: send a lambdock queue's messages back to a function as new async invocations (new
 * request ids: the old ones have ended), oldest first, each removed once its invocation is
 * stored. A dead letter's body is the original event; a destination record gives back its
 * `requestPayload`. The function is the one named in the request, else the one that sent the
 * message; messages whose function cannot run now stay in the queue and are reported.
 */
import {
  functionArn,
  type FunctionRecord,
  type InvokeJobData,
  type QueueMessage,
} from '@lambdock/core';
import type { ResolvedGatewayDeps } from '../deps.js';

export interface RedriveTarget {
  functionName: string;
  qualifier?: string;
}

export interface RedriveResult {
  Redriven: { MessageId: string; RequestId: string; FunctionName: string }[];
  Skipped: { MessageId: string; Reason: string }[];
  Remaining: number;
}

type RedriveDeps = Pick<
  ResolvedGatewayDeps,
  'registry' | 'queue' | 'async' | 'settings' | 'now' | 'newId'
>;

/** The event a message stands for. */
export function eventOf(message: QueueMessage): string {
  if (message.Source.Kind === 'DeadLetter') return message.Body;
  try {
    const record = JSON.parse(message.Body) as { requestPayload?: unknown };
    return JSON.stringify(record.requestPayload ?? {});
  } catch {
    return message.Body;
  }
}

function sourceTarget(message: QueueMessage): RedriveTarget {
  const { FunctionName, Qualifier } = message.Source;
  return Qualifier === '$LATEST'
    ? { functionName: FunctionName }
    : { functionName: FunctionName, qualifier: Qualifier };
}

export async function redrive(
  deps: RedriveDeps,
  queueName: string,
  maxMessages: number,
  explicit: RedriveTarget | undefined,
): Promise<RedriveResult> {
  const result: RedriveResult = { Redriven: [], Skipped: [], Remaining: 0 };
  const records = new Map<string, Promise<FunctionRecord | undefined>>();
  const load = (name: string): Promise<FunctionRecord | undefined> => {
    const cached = records.get(name) ?? deps.registry.get(name);
    records.set(name, cached);
    return cached;
  };
  const { messages } = await deps.async.queues.messages(queueName, maxMessages);
  for (const message of messages) {
    const t = explicit ?? sourceTarget(message);
    const record = await load(t.functionName);
    if (record === undefined || record.state !== 'Active') {
      const reason =
        record === undefined
          ? `Function not found: ${functionArn(deps.settings, t.functionName)}`
          : `The function is ${record.state}`;
      result.Skipped.push({ MessageId: message.MessageId, Reason: reason });
      continue;
    }
    const job: InvokeJobData = {
      requestId: deps.newId(),
      functionName: t.functionName,
      qualifier: t.qualifier ?? '$LATEST',
      invokedArn: functionArn(deps.settings, t.functionName, t.qualifier),
      payload: eventOf(message),
      logTail: false,
      acceptedAt: deps.now(),
    };
    await deps.queue.enqueueAsync(job);
    await deps.async.queues.remove(queueName, message.MessageId);
    result.Redriven.push({
      MessageId: message.MessageId,
      RequestId: job.requestId,
      FunctionName: t.functionName,
    });
  }
  result.Remaining = await deps.async.queues.count(queueName);
  return result;
}
