/**
 * @module
 * Delivery to the three kinds of target. A function gets the payload as an async invocation
 * whose request id is the delivery id (BullMQ keeps one job per id, and a finished one has a
 * terminal record: a redelivery invokes nothing twice). A lambdock queue gets an SQS-shaped
 * message whose id is the delivery id (stored once). A URL gets a POST.
 */
import {
  functionArn,
  parseDestinationTarget,
  queueMessage,
  type ArnContext,
  type DestinationDelivery,
  type InvocationRecord,
  type InvokeJobData,
  type MessageQueueStore,
} from '@lambdock/core';
import type { DeliveryPayload } from './delivery-payload.js';
import type { WebhookPoster } from './webhook.js';

export interface SenderDeps {
  /** Adds an async invoke job with `jobId` = its request id. */
  enqueueAsync(job: InvokeJobData): Promise<void>;
  functionExists(name: string): Promise<boolean>;
  queues: Pick<MessageQueueStore, 'send'>;
  post: WebhookPoster;
  ctx: ArnContext;
  now: () => number;
}

/** Sends one delivery; throws with a reason when it could not be made. */
export type DestinationSender = (
  delivery: DestinationDelivery,
  payload: DeliveryPayload,
  source: InvocationRecord,
) => Promise<void>;

function bodyOf(payload: DeliveryPayload): string {
  return payload.kind === 'record' ? JSON.stringify(payload.record) : payload.event;
}

export function createDestinationSender(deps: SenderDeps): DestinationSender {
  return async (delivery, payload, source) => {
    const target = parseDestinationTarget(delivery.Target);
    if (target === undefined) throw new Error(`${delivery.Target} is not a destination`);
    const body = bodyOf(payload);
    switch (target.kind) {
      case 'function': {
        if (!(await deps.functionExists(target.functionName)))
          throw new Error(`Function not found: ${functionArn(deps.ctx, target.functionName)}`);
        await deps.enqueueAsync({
          requestId: delivery.DeliveryId,
          functionName: target.functionName,
          qualifier: target.qualifier ?? '$LATEST',
          invokedArn: functionArn(deps.ctx, target.functionName, target.qualifier),
          payload: body,
          logTail: false,
          acceptedAt: deps.now(),
        });
        return;
      }
      case 'queue':
        await deps.queues.send(
          target.queueName,
          queueMessage({
            messageId: delivery.DeliveryId,
            body,
            ...(payload.kind === 'dead-letter' ? { attributes: payload.attributes } : {}),
            sentAtMs: deps.now(),
            source: {
              RequestId: source.RequestId,
              FunctionName: source.FunctionName,
              Qualifier: source.Qualifier,
              Kind: delivery.Kind,
              Condition: source.Condition ?? 'RetriesExhausted',
            },
          }),
        );
        return;
      case 'webhook': {
        const headers: Record<string, string> = {
          'idempotency-key': delivery.DeliveryId,
          'x-lambdock-delivery': delivery.Kind,
          'x-lambdock-request-id': source.RequestId,
        };
        if (payload.kind === 'dead-letter') {
          headers['x-lambdock-error-code'] = payload.attributes.ErrorCode?.StringValue ?? '';
          headers['x-lambdock-error-message'] = encodeURIComponent(
            payload.attributes.ErrorMessage?.StringValue ?? '',
          );
        }
        await deps.post(target.url, body, headers);
        return;
      }
    }
  };
}
